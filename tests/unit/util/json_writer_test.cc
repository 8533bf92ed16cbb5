#include "util/json_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace skyflow {
namespace {

std::string RoundTrip(std::string_view text) {
  std::string json;
  JsonWriter(&json).BeginObject().Field("v", text).EndObject();
  simdjson::dom::parser parser;
  std::string_view parsed;
  EXPECT_FALSE(parser.parse(json)["v"].get_string().get(parsed)) << json;
  return std::string(parsed);
}

TEST(JsonWriterTest, EscapesQuotesBackslashesAndControlCharacters) {
  std::string out;
  AppendJsonEscaped(&out, "a\"b\\c\nd\te\r\b\f\x01\x1f");
  EXPECT_EQ(out, "a\\\"b\\\\c\\nd\\te\\r\\b\\f\\u0001\\u001f");
}

TEST(JsonWriterTest, PassesNonAsciiUtf8Through) {
  std::string out;
  AppendJsonEscaped(&out, "Zoë Ångström 山田 🎉");
  EXPECT_EQ(out, "Zoë Ångström 山田 🎉");
}

TEST(JsonWriterTest, EveryByteBelow0x20RoundTrips) {
  std::string all;
  for (int c = 0; c < 0x20; ++c)
    all.push_back(static_cast<char>(c));
  all += "\"\\/ plain";
  EXPECT_EQ(RoundTrip(all), all);
}

TEST(JsonWriterTest, EscapesAtEveryPositionAroundTheWordAtATimeScan) {
  // Clean text is skipped 8 bytes at a time: a special character must be
  // caught wherever it falls, in a word or in the tail.
  EXPECT_EQ(RoundTrip("tok_1700000000_abcdefgh12345678 \x7f\xc3\xa9"),
            "tok_1700000000_abcdefgh12345678 \x7f\xc3\xa9");
  for (const char special : {'"', '\\', '\n', '\x01', '\x1f', '\0'}) {
    for (size_t position = 0; position < 20; ++position) {
      std::string text(20, 'a');
      text[position] = special;
      std::string escaped;
      AppendJsonEscaped(&escaped, text);
      EXPECT_GT(escaped.size(), text.size()) << static_cast<int>(special) << " at " << position;
      EXPECT_EQ(RoundTrip(text), text) << static_cast<int>(special) << " at " << position;
    }
  }
}

TEST(JsonWriterTest, InsertsCommasBetweenElementsAndFields) {
  std::string out;
  JsonWriter json(&out);
  json.BeginObject().Field("a", 1).Key("list").BeginArray();
  json.Int(1).String("two").Bool(false).Null().BeginObject().EndObject().BeginArray().EndArray();
  json.EndArray().Field("b", true).Field("d", 1.5).EndObject();
  EXPECT_EQ(out, R"({"a":1,"list":[1,"two",false,null,{},[]],"b":true,"d":1.5})");
}

TEST(JsonWriterTest, NonFiniteDoublesBecomeNull) {
  std::string out;
  JsonWriter(&out).BeginArray().Double(1.0 / 0.0).EndArray();
  EXPECT_EQ(out, "[null]");
}

TEST(JsonWriterTest, QuoteProducesALiteral) {
  EXPECT_EQ(JsonQuote("a\"b"), "\"a\\\"b\"");
}

}  // namespace
}  // namespace skyflow
