#include "util/hex.h"

#include <gtest/gtest.h>

namespace skyflow {
namespace {

TEST(HexTest, EncodesEveryByteAsTwoLowercaseDigits) {
  EXPECT_EQ(HexEncode(""), "");
  EXPECT_EQ(HexEncode(std::string("A\0\xFF\x10", 4)), "4100ff10");
}

TEST(HexTest, DecodesEitherCaseAndRefusesAnythingElse) {
  EXPECT_EQ(HexDecode("4100ff10"), std::string("A\0\xFF\x10", 4));
  EXPECT_EQ(HexDecode("4A6f"), "Jo");
  EXPECT_EQ(HexDecode(""), "");
  EXPECT_EQ(HexDecode("abc"), std::nullopt);
  EXPECT_EQ(HexDecode("zz"), std::nullopt);
  EXPECT_EQ(HexDecode("0x"), std::nullopt);
}

}  // namespace
}  // namespace skyflow
