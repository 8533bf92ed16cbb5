#include "postgres/copy_text.h"

#include <gtest/gtest.h>

#include <string>

namespace skyflow::postgres {
namespace {

TEST(CopyTextTest, EscapesTheFourSpecialBytesOnly) {
  std::string out;
  AppendCopyText("a\\b\tc\nd\re \"Zoë\" O'Brien, Jr.", &out);
  EXPECT_EQ(out, "a\\\\b\\tc\\nd\\re \"Zoë\" O'Brien, Jr.");
}

TEST(CopyTextTest, RowsAreTabSeparatedAndNewlineTerminated) {
  std::string out;
  AppendCopyRow({"Smith, John", "tok\t1", ""}, &out);
  AppendCopyRow({"x"}, &out);
  EXPECT_EQ(out, "Smith, John\ttok\\t1\t\nx\n");
}

}  // namespace
}  // namespace skyflow::postgres
