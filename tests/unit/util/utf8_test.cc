#include "util/utf8.h"

#include <gtest/gtest.h>

namespace skyflow {
namespace {

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_EQ(FindInvalidUtf8(""), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("plain ascii"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("Zoë 山田 🎉 \xF4\x8F\xBF\xBF"), std::nullopt);
}

TEST(Utf8Test, FindsTheFirstBadByte) {
  EXPECT_EQ(FindInvalidUtf8("ab\xE9"), 2u);            // Latin-1 é
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("x\xED\xA0\x80"), 1u);     // surrogate
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("ok\xE2\x82"), 2u);        // truncated sequence
  EXPECT_EQ(FindInvalidUtf8("\x80"), 0u);              // lone continuation
}

TEST(Utf8Test, CutPointNeverSplitsACharacter) {
  EXPECT_EQ(Utf8CutPoint("abcdef", 4), 4u);
  EXPECT_EQ(Utf8CutPoint("abc", 10), 3u);
  EXPECT_EQ(Utf8CutPoint("a\u00e9b", 2), 1u);     // inside é
  EXPECT_EQ(Utf8CutPoint("a\u00e9b", 3), 3u);     // after é
  EXPECT_EQ(Utf8CutPoint("\U0001F389!", 3), 0u);  // inside 🎉
  EXPECT_EQ(Utf8CutPoint("\U0001F389!", 4), 4u);
}

TEST(Utf8Test, ReplacesEachBadByteWithTheReplacementCharacter) {
  EXPECT_EQ(ReplaceInvalidUtf8("Zo\u00eb"), "Zo\u00eb");
  EXPECT_EQ(ReplaceInvalidUtf8("Jos\xE9"), "Jos\uFFFD");
  EXPECT_EQ(ReplaceInvalidUtf8("\xFF\xFE"
                               "ab\xC0"),
            "\uFFFD\uFFFD"
            "ab\uFFFD");
  EXPECT_EQ(ReplaceInvalidUtf8("ok\xE2\x82"), "ok\uFFFD\uFFFD");
  EXPECT_EQ(ReplaceInvalidUtf8(""), "");
}

}  // namespace
}  // namespace skyflow
