#include "util/base64url.h"

#include <gtest/gtest.h>

#include <string>

namespace skyflow {
namespace {

// RFC 4648 section 10, without the padding base64url leaves out in JWTs.
TEST(Base64UrlTest, EncodesRfc4648Vectors) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foob"), "Zm9vYg");
  EXPECT_EQ(Base64UrlEncode("fooba"), "Zm9vYmE");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
}

TEST(Base64UrlTest, DecodesRfc4648Vectors) {
  for (const std::string text : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    Result<std::string> decoded = Base64UrlDecode(Base64UrlEncode(text));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, text);
  }
  EXPECT_EQ(*Base64UrlDecode("Zm9vYmFy"), "foobar");
}

TEST(Base64UrlTest, UsesTheUrlSafeAlphabet) {
  // 0xFB 0xFF is "+/8=" in standard base64.
  EXPECT_EQ(Base64UrlEncode("\xFB\xFF"), "-_8");
  EXPECT_EQ(*Base64UrlDecode("-_8"), "\xFB\xFF");
}

TEST(Base64UrlTest, RoundTripsEveryByteValue) {
  std::string bytes;
  for (int i = 0; i < 256; ++i)
    bytes.push_back(static_cast<char>(i));
  for (size_t length = 0; length <= bytes.size(); length += 37) {
    const std::string part = bytes.substr(0, length);
    EXPECT_EQ(*Base64UrlDecode(Base64UrlEncode(part)), part) << length;
  }
}

TEST(Base64UrlTest, RefusesPaddingAndForeignCharacters) {
  const Result<std::string> padded = Base64UrlDecode("Zg==");
  ASSERT_FALSE(padded.ok());
  EXPECT_EQ(padded.status().code(), StatusCode::kParseError);
  EXPECT_NE(padded.status().message().find("padding"), std::string::npos);
  EXPECT_FALSE(Base64UrlDecode("+/8").ok());  // standard alphabet
  EXPECT_FALSE(Base64UrlDecode("Zm 9v").ok());
  EXPECT_FALSE(Base64UrlDecode(std::string("Zm\0v", 4)).ok());
}

TEST(Base64UrlTest, RefusesImpossibleLengthsAndLeftoverBits) {
  EXPECT_FALSE(Base64UrlDecode("Z").ok());      // 4k+1 characters
  EXPECT_FALSE(Base64UrlDecode("Zm9vY").ok());  // 4k+1 characters
  EXPECT_FALSE(Base64UrlDecode("Zh").ok());     // "Zg" with a non-zero unused bit
  EXPECT_FALSE(Base64UrlDecode("Zm9").ok());    // "Zm8" with non-zero unused bits
}

// RFC 4648 section 10, standard alphabet with padding.
TEST(Base64Test, EncodesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

TEST(Base64Test, UsesTheStandardAlphabet) {
  EXPECT_EQ(Base64Encode("\xFB\xFF"), "+/8=");
  EXPECT_EQ(Base64Encode("\xFB\xEF\xBE"), "++++");
  EXPECT_EQ(Base64Encode("\xFF\xFF\xFF"), "////");
}

}  // namespace
}  // namespace skyflow
