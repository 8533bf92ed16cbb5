#include "util/csv_writer.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "util/csv_reader.h"

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

// Found by the csv_reader fuzz target: a first field starting with U+FEFF was
// written as is, and the reader took those bytes for the file's byte order
// mark and dropped them.
TEST(AppendCsvFieldTest, FieldStartingWithByteOrderMarkReadsBackWhole) {
  const std::string value = "\xEF\xBB\xBFvalue";
  std::string out;
  AppendCsvField(value, ',', &out);
  EXPECT_EQ(out, "\"" + value + "\"");

  std::string directory = ::testing::TempDir() + "csv_writer_test_XXXXXX";
  ASSERT_NE(mkdtemp(directory.data()), nullptr);
  const std::string path = directory + "/first_field.csv";
  std::ofstream(path, std::ios::binary) << out << ",token\n";
  Result<std::unique_ptr<CsvReader>> reader = CsvReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<std::string> fields;
  bool end_of_file = false;
  ASSERT_TRUE((*reader)->ReadRow(&fields, &end_of_file).ok());
  EXPECT_EQ(fields, (std::vector<std::string>{value, "token"}));
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace skyflow
