#include "emulator/sqlapi/column_types.h"

#include <gtest/gtest.h>

namespace skyflow::emulator::sqlapi {
namespace {

TEST(ColumnTypesTest, UnquotedNamesAreUpperCasedQuotedMixedCaseKept) {
  EXPECT_EQ(SnowflakeColumnName("full_name_token"), "FULL_NAME_TOKEN");
  EXPECT_EQ(SnowflakeColumnName("?column?"), "?COLUMN?");
  EXPECT_EQ(SnowflakeColumnName("fullName"), "fullName");
}

TEST(ColumnTypesTest, PostgresTypesMapToSnowflakeTypes) {
  EXPECT_EQ(ColumnTypeFor("n", 23, -1).type, "fixed");
  EXPECT_EQ(ColumnTypeFor("n", 23, -1).scale, 0);
  const ColumnType numeric = ColumnTypeFor("amount", 1700, ((10 << 16) | 2) + 4);
  EXPECT_EQ(numeric.type, "fixed");
  EXPECT_EQ(numeric.precision, 10);
  EXPECT_EQ(numeric.scale, 2);
  EXPECT_EQ(ColumnTypeFor("t", 25, -1).type, "text");
  EXPECT_EQ(ColumnTypeFor("t", 25, -1).length, 16777216);
  EXPECT_EQ(ColumnTypeFor("v", 1043, 20 + 4).length, 20);
  EXPECT_EQ(ColumnTypeFor("d", 1082, -1).type, "date");
  EXPECT_EQ(ColumnTypeFor("b", 16, -1).type, "boolean");
  EXPECT_EQ(ColumnTypeFor("f", 701, -1).type, "real");
  EXPECT_EQ(ColumnTypeFor("u", 2950, -1).type, "text");  // uuid: anything else is text
}

TEST(ColumnTypesTest, DatesAreDaysSinceTheEpoch) {
  EXPECT_EQ(DaysSinceEpoch("1970-01-01"), 0);
  EXPECT_EQ(DaysSinceEpoch("1969-12-31"), -1);
  EXPECT_EQ(DaysSinceEpoch("2000-01-01"), 10957);
  EXPECT_EQ(DaysSinceEpoch("2000-03-01"), 11017);  // 2000 is a leap year
  EXPECT_EQ(DaysSinceEpoch("infinity"), std::nullopt);
  EXPECT_EQ(DaysSinceEpoch("0044-03-15 BC"), std::nullopt);
  EXPECT_EQ(ConvertCell(CellConversion::kDate, "2000-01-02"), "10958");
  EXPECT_EQ(ConvertCell(CellConversion::kDate, "infinity"), "infinity");
}

TEST(ColumnTypesTest, BooleansAndBinaryAreWrittenAsSnowflakeDoes) {
  EXPECT_EQ(ConvertCell(CellConversion::kBoolean, "t"), "true");
  EXPECT_EQ(ConvertCell(CellConversion::kBoolean, "f"), "false");
  EXPECT_EQ(ConvertCell(CellConversion::kBinary, "\\x0aff"), "0aff");
  EXPECT_EQ(ConvertCell(CellConversion::kNone, "t"), "t");
}

}  // namespace
}  // namespace skyflow::emulator::sqlapi
