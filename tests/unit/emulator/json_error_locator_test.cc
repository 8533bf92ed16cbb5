#include "emulator/json_error_locator.h"

#include <gtest/gtest.h>

namespace skyflow::emulator {
namespace {

TEST(JsonErrorLocatorTest, AcceptsValidJson) {
  EXPECT_EQ(FindJsonSyntaxError(R"({"a":[1,-2.5e3,true,false,null,"x\"\u00e9"],"b":{}})"),
            std::nullopt);
  EXPECT_EQ(FindJsonSyntaxError("  [ ]  "), std::nullopt);
}

TEST(JsonErrorLocatorTest, PointsAtTheOffendingByte) {
  EXPECT_EQ(FindJsonSyntaxError(R"({"a":1,})"), 7u);    // trailing comma
  EXPECT_EQ(FindJsonSyntaxError(R"({"a" 1})"), 5u);     // missing colon
  EXPECT_EQ(FindJsonSyntaxError(R"({"a":01})"), 6u);    // leading zero
  EXPECT_EQ(FindJsonSyntaxError(R"({"a":"x)"), 7u);     // unterminated string: end
  EXPECT_EQ(FindJsonSyntaxError(R"({"a":"\q"})"), 7u);  // bad escape
  EXPECT_EQ(FindJsonSyntaxError(R"({"a":1} x)"), 8u);   // trailing content
  EXPECT_EQ(FindJsonSyntaxError(""), 0u);
}

}  // namespace
}  // namespace skyflow::emulator
