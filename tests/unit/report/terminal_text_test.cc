#include "report/terminal_text.h"

#include <gtest/gtest.h>

#include "report/live_display.h"

namespace skyflow {
namespace {

TEST(TerminalTextTest, WidthSkipsEscapesAndCountsCodePoints) {
  EXPECT_EQ(VisibleWidth("abc"), 3u);
  EXPECT_EQ(VisibleWidth("\x1b[32mabc\x1b[0m"), 3u);
  EXPECT_EQ(VisibleWidth("Jos\xC3\xA9"), 4u);
}

TEST(TerminalTextTest, TruncatesAndResetsColour) {
  EXPECT_EQ(TruncateToWidth("abcdef", 4), "abcd");
  EXPECT_EQ(TruncateToWidth("abc", 4), "abc");
  EXPECT_EQ(TruncateToWidth("\x1b[32mabcdef\x1b[0m", 2), "\x1b[32mab\x1b[0m");
  EXPECT_EQ(TruncateToWidth("ab\x1b[31mcd\x1b[0mef", 3), "ab\x1b[31mc\x1b[0m");
  EXPECT_EQ(TruncateToWidth("Jos\xC3\xA9!", 4), "Jos\xC3\xA9");
}

TEST(TerminalTextTest, RowsOccupiedCountsWrappedLines) {
  EXPECT_EQ(RowsOccupied({79, 79}, 80), 2u);
  EXPECT_EQ(RowsOccupied({79, 79}, 40), 4u);  // after a resize to 40 columns
  EXPECT_EQ(RowsOccupied({0, 120}, 40), 4u);
}

TEST(LiveDisplayTest, RedrawMovesUpOverTheBlockAndClearsOnlyFromThere) {
  EXPECT_EQ(RedrawSequence(0, {"one", "two"}, 80), "\rone\ntwo\n");
  EXPECT_EQ(RedrawSequence(2, {"one", "two"}, 80), "\x1b[2A\r\x1b[Jone\ntwo\n");
  // Lines are cut one column short of the width, so none wraps.
  EXPECT_EQ(RedrawSequence(1, {"abcdefgh"}, 5), "\x1b[1A\r\x1b[Jabcd\n");
}

}  // namespace
}  // namespace skyflow
