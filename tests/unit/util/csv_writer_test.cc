#include "util/csv_writer.h"

#include <gtest/gtest.h>

#include <string>

namespace skyflow {
namespace {

TEST(AppendCsvFieldTest, QuotesOnlyWhenNeeded) {
  std::string out;
  AppendCsvField("plain text", ',', &out);
  EXPECT_EQ(out, "plain text");
  out.clear();
  AppendCsvField("O'Brien, Jr.", ',', &out);
  EXPECT_EQ(out, "\"O'Brien, Jr.\"");
  out.clear();
  AppendCsvField("Robert \"Bob\" B. Smith", ',', &out);
  EXPECT_EQ(out, "\"Robert \"\"Bob\"\" B. Smith\"");
  out.clear();
  AppendCsvField("a\r\nb", ',', &out);
  EXPECT_EQ(out, "\"a\r\nb\"");
  out.clear();
  AppendCsvField("a|b,c", '|', &out);
  EXPECT_EQ(out, "\"a|b,c\"");
  out.clear();
  AppendCsvField("", ',', &out);
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace skyflow
