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

TEST(JsonSyntaxTest, PositionsAreOneBasedLinesAndByteColumns) {
  const TextPosition position = PositionOf("{\n  \"a\": x\n}", 9);
  EXPECT_EQ(position.line, 2u);
  EXPECT_EQ(position.column, 8u);
}

}  // namespace
}  // namespace skyflow
