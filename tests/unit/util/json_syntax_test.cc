#include "util/json_syntax.h"

#include <gtest/gtest.h>

namespace skyflow {
namespace {

std::optional<size_t> ErrorOffset(std::string_view text) {
  std::optional<JsonSyntaxError> error = FindJsonSyntaxError(text);
  if (!error) return std::nullopt;
  EXPECT_FALSE(error->reason.empty());
  return error->offset;
}

TEST(JsonSyntaxTest, AcceptsValidJson) {
  EXPECT_EQ(ErrorOffset(R"({"a":[1,-2.5e3,true,false,null,"x\"\u00e9"],"b":{}})"), std::nullopt);
  EXPECT_EQ(ErrorOffset("  [ ]  "), std::nullopt);
}

TEST(JsonSyntaxTest, PointsAtTheOffendingByte) {
  EXPECT_EQ(ErrorOffset(R"({"a":1,})"), 6u);   // trailing comma: the comma
  EXPECT_EQ(ErrorOffset(R"({"a" 1})"), 5u);    // missing colon
  EXPECT_EQ(ErrorOffset(R"({"a":01})"), 5u);   // leading zero: the number
  EXPECT_EQ(ErrorOffset(R"({"a":1} x)"), 8u);  // trailing content
  EXPECT_EQ(ErrorOffset(""), 0u);
}

TEST(JsonSyntaxTest, ExplainsCommonHandEditingMistakes) {
  EXPECT_NE(FindJsonSyntaxError(R"({"a":1,})")->reason.find("comma"), std::string::npos);
  EXPECT_NE(FindJsonSyntaxError("{'a':1}")->reason.find("quote"), std::string::npos);
}

// Found by the config_loader fuzz target: simdjson refuses these, the
// scanner took them for valid JSON, and the error named no position.
TEST(JsonSyntaxTest, LocatesNumbersTheParserCannotHold) {
  EXPECT_EQ(ErrorOffset(R"({"a": 1e400})"), 6u);
  EXPECT_EQ(ErrorOffset("[18446744073709551616]"), 1u);
  EXPECT_EQ(ErrorOffset("[-9223372036854775809]"), 1u);
  EXPECT_EQ(ErrorOffset("[1, -1.8e308]"), 4u);
  EXPECT_NE(FindJsonSyntaxError("[1e400]")->reason.find("out of range"), std::string::npos);
  EXPECT_EQ(ErrorOffset("[18446744073709551615, -9223372036854775808, 1e-400, 1.7e308, -0]"),
            std::nullopt);
}

TEST(JsonSyntaxTest, LocatesHalvesOfSurrogatePairs) {
  EXPECT_EQ(ErrorOffset(R"(["\ud800"])"), 2u);
  EXPECT_EQ(ErrorOffset(R"(["ab\udc00"])"), 4u);
  EXPECT_EQ(ErrorOffset(R"(["\uD800\u0041"])"), 2u);
  EXPECT_EQ(ErrorOffset(R"(["\ud800\"])"), 2u);
  EXPECT_EQ(ErrorOffset(R"(["\ud83d\ude00 \uFFFF"])"), std::nullopt);
}

// Found by the config_loader fuzz target: a backslash before a NUL byte
// passed as an escape (strchr finds the NUL that ends its list of escapes).
TEST(JsonSyntaxTest, BackslashBeforeNulIsAnInvalidEscape) {
  const std::string text("[\"\\\0\"]", 6);
  EXPECT_EQ(ErrorOffset(text), 2u);
  EXPECT_NE(FindJsonSyntaxError(text)->reason.find("byte 0x00"), std::string::npos);
}

TEST(JsonSyntaxTest, PositionsAreOneBasedLinesAndByteColumns) {
  const TextPosition position = PositionOf("{\n  \"a\": x\n}", 9);
  EXPECT_EQ(position.line, 2u);
  EXPECT_EQ(position.column, 8u);
}

}  // namespace
}  // namespace skyflow
