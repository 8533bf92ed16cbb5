#include "util/csv_reader.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace skyflow {
namespace {

using Rows = std::vector<std::vector<std::string>>;

struct ReadResult {
  Status status;
  Rows rows;
  std::vector<uint64_t> start_lines;
  std::vector<uint64_t> end_lines;
};

class CsvReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "csv_reader_test_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = directory_ + "/" + name;
    std::ofstream out(path, std::ios::binary);
    out << content;
    return path;
  }

  // A reader over a new file holding `content`.
  std::unique_ptr<CsvReader> OpenContent(const std::string& content, CsvOptions options = {}) {
    Result<std::unique_ptr<CsvReader>> reader =
        CsvReader::Open(Write("input.csv", content), options);
    EXPECT_TRUE(reader.ok()) << reader.status().message();
    return reader.ok() ? std::move(reader).value() : nullptr;
  }

  // Reads every row of `content`; stops at the first error.
  ReadResult ReadAll(const std::string& content, CsvOptions options = {}) {
    ReadResult result;
    const std::string path = Write("input.csv", content);
    Result<std::unique_ptr<CsvReader>> reader = CsvReader::Open(path, options);
    if (!reader.ok()) {
      result.status = reader.status();
      return result;
    }
    std::vector<std::string> fields;
    for (;;) {
      bool end_of_file = false;
      result.status = (*reader)->ReadRow(&fields, &end_of_file);
      if (!result.status.ok() || end_of_file) break;
      result.rows.push_back(fields);
      result.start_lines.push_back((*reader)->row_start_line());
      result.end_lines.push_back((*reader)->row_end_line());
    }
    return result;
  }

  std::string directory_;
};

TEST_F(CsvReaderTest, ReadsSimpleRowsWithLf) {
  ReadResult r = ReadAll("name,id\nann,1\nbob,2\n");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.rows, (Rows{{"name", "id"}, {"ann", "1"}, {"bob", "2"}}));
  EXPECT_EQ(r.start_lines, (std::vector<uint64_t>{1, 2, 3}));
}

TEST_F(CsvReaderTest, ReadsCrlfRows) {
  ReadResult r = ReadAll("name,id\r\nann,1\r\nbob,2\r\n");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.rows, (Rows{{"name", "id"}, {"ann", "1"}, {"bob", "2"}}));
  EXPECT_EQ(r.start_lines, (std::vector<uint64_t>{1, 2, 3}));
}

TEST_F(CsvReaderTest, ReadsMixedLineEndings) {
  ReadResult r = ReadAll("a\r\nb\nc\rd\r\ne");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.rows, (Rows{{"a"}, {"b"}, {"c"}, {"d"}, {"e"}}));
  EXPECT_EQ(r.start_lines, (std::vector<uint64_t>{1, 2, 3, 4, 5}));
}

TEST_F(CsvReaderTest, LastRowWithoutLineBreak) {
  ReadResult r = ReadAll("a,b\nc,d");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.rows, (Rows{{"a", "b"}, {"c", "d"}}));
}

TEST_F(CsvReaderTest, TrailingLineBreakDoesNotAddARow) {
  EXPECT_EQ(ReadAll("a\nb\n").rows, (Rows{{"a"}, {"b"}}));
  EXPECT_EQ(ReadAll("a\nb\r\n").rows, (Rows{{"a"}, {"b"}}));
  EXPECT_EQ(ReadAll("a\nb\r").rows, (Rows{{"a"}, {"b"}}));
}

TEST_F(CsvReaderTest, EmptyLineIsARowWithOneEmptyField) {
  ReadResult r = ReadAll("a\n\nb\n\n");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.rows, (Rows{{"a"}, {""}, {"b"}, {""}}));
  EXPECT_EQ(r.start_lines, (std::vector<uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(ReadAll("a\r\n\r\nb").rows, (Rows{{"a"}, {""}, {"b"}}));
}

TEST_F(CsvReaderTest, EmptyFileHasNoRows) {
  ReadResult r = ReadAll("");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(r.rows.empty());
}

TEST_F(CsvReaderTest, StripsByteOrderMarkAtStartOnly) {
  ReadResult r = ReadAll(
      "\xEF\xBB\xBF"
      "full_name\nx\xEF\xBB\xBFy\n");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.rows, (Rows{{"full_name"}, {"x\xEF\xBB\xBFy"}}));
  EXPECT_TRUE(ReadAll("\xEF\xBB\xBF").rows.empty());
}

TEST_F(CsvReaderTest, ByteOrderMarkDoesNotCountAsAColumn) {
  ReadResult r = ReadAll("\xEF\xBB\xBF\"abc");
  EXPECT_EQ(r.status.code(), StatusCode::kParseError);
  EXPECT_NE(r.status.message().find("opened at line 1, column 1)"), std::string::npos)
      << r.status.message();
}

TEST_F(CsvReaderTest, EmptyFields) {
  ReadResult r = ReadAll(",a,,\n,\n\"\",\"\"\n");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.rows, (Rows{{"", "a", "", ""}, {"", ""}, {"", ""}}));
}

TEST_F(CsvReaderTest, QuotedFieldsAndEscapedQuotes) {
  ReadResult r = ReadAll("\"ann\",\"say \"\"hi\"\"\",\"\"\"\"\n\"O'Brien, Jr.\",x\n");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.rows, (Rows{{"ann", "say \"hi\"", "\""}, {"O'Brien, Jr.", "x"}}));
}

TEST_F(CsvReaderTest, DelimiterAndLineBreaksInsideQuotesAreKept) {
  ReadResult r = ReadAll("\"a,b\",\"one\ntwo\",\"three\r\nfour\",\"five\rsix\"\nnext\n");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.rows, (Rows{{"a,b", "one\ntwo", "three\r\nfour", "five\rsix"}, {"next"}}));
  EXPECT_EQ(r.start_lines, (std::vector<uint64_t>{1, 5}));
  EXPECT_EQ(r.end_lines, (std::vector<uint64_t>{4, 5}));
}

TEST_F(CsvReaderTest, QuotedFieldAtEndOfFile) {
  EXPECT_EQ(ReadAll("\"a\"").rows, (Rows{{"a"}}));
  EXPECT_EQ(ReadAll("x,\"a\"\r\n").rows, (Rows{{"x", "a"}}));
}

TEST_F(CsvReaderTest, PassesBytesThroughUntrimmed) {
  EXPECT_EQ(ReadAll(" a , b \nJos\xC3\xA9\n").rows, (Rows{{" a ", " b "}, {"Jos\xC3\xA9"}}));
}

TEST_F(CsvReaderTest, OtherDelimiters) {
  CsvOptions pipe;
  pipe.delimiter = '|';
  EXPECT_EQ(ReadAll("full_name|id|dob|ssn\n\"a|b\"|1,2||x\n", pipe).rows,
            (Rows{{"full_name", "id", "dob", "ssn"}, {"a|b", "1,2", "", "x"}}));
  CsvOptions tab;
  tab.delimiter = '\t';
  EXPECT_EQ(ReadAll("a\tb\n", tab).rows, (Rows{{"a", "b"}}));
}

TEST_F(CsvReaderTest, RejectsUnusableDelimiter) {
  const std::string path = Write("x.csv", "a\n");
  for (char delimiter : {'"', '\n', '\r'}) {
    CsvOptions options;
    options.delimiter = delimiter;
    Result<std::unique_ptr<CsvReader>> reader = CsvReader::Open(path, options);
    EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST_F(CsvReaderTest, MissingFileIsNotFoundNamingThePath) {
  const std::string path = directory_ + "/missing.csv";
  Result<std::unique_ptr<CsvReader>> reader = CsvReader::Open(path);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(reader.status().message(), "cannot open " + path + ": No such file or directory");
}

TEST_F(CsvReaderTest, ADirectoryIsNotACsvFile) {
  Result<std::unique_ptr<CsvReader>> reader = CsvReader::Open(directory_);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(reader.status().message().rfind(directory_ + " is a directory, not a CSV file", 0), 0u)
      << reader.status().message();
}

TEST_F(CsvReaderTest, UnterminatedQuoteNamesOpeningLineAndColumn) {
  ReadResult r = ReadAll("h\nx,y,\"abc\nmore\n");
  EXPECT_EQ(r.status.code(), StatusCode::kParseError);
  const std::string path = directory_ + "/input.csv";
  EXPECT_EQ(r.status.message(),
            path +
                ":2: unterminated quoted field (opened at line 2, column 5); close the quote "
                "or escape embedded quotes as \"\"");
  EXPECT_EQ(r.rows, (Rows{{"h"}}));
}

TEST_F(CsvReaderTest, QuoteInsideUnquotedFieldAfterMultiLineRow) {
  // Row 2 spans lines 2 and 3; the stray quote is on line 3, column 10.
  ReadResult r = ReadAll("h,i\n\"multi\nline\",bad\"quote\n");
  EXPECT_EQ(r.status.code(), StatusCode::kParseError);
  const std::string prefix = directory_ +
                             "/input.csv:3: quote character inside an unquoted field "
                             "(column 10)";
  EXPECT_EQ(r.status.message().substr(0, prefix.size()), prefix) << r.status.message();
  EXPECT_NE(r.status.message().find("double every quote"), std::string::npos);
}

TEST_F(CsvReaderTest, ErrorLineCountsLineBreaksOfEarlierQuotedFields) {
  ReadResult r = ReadAll("h\n\"a\r\nb\"\nok\nc\"d\n");
  EXPECT_EQ(r.status.code(), StatusCode::kParseError);
  EXPECT_EQ(r.status.message().rfind(directory_ + "/input.csv:5: quote character", 0), 0u)
      << r.status.message();
  EXPECT_EQ(r.rows, (Rows{{"h"}, {"a\r\nb"}, {"ok"}}));
}

TEST_F(CsvReaderTest, CharacterAfterClosingQuote) {
  ReadResult r = ReadAll("a\n\"abc\"x,y\n");
  EXPECT_EQ(r.status.code(), StatusCode::kParseError);
  EXPECT_EQ(
      r.status.message().rfind(directory_ + "/input.csv:2: unexpected 'x' after the closing quote "
                                            "of the field opened at line 2, column 1 (column 6)",
                               0),
      0u)
      << r.status.message();
  ReadResult space = ReadAll("\"abc\" ,y\n");
  EXPECT_NE(space.status.message().find("unexpected ' ' after the closing quote"),
            std::string::npos)
      << space.status.message();
  ReadResult control = ReadAll("\"abc\"\x01\n");
  EXPECT_NE(control.status.message().find("unexpected byte 0x01"), std::string::npos)
      << control.status.message();
}

TEST_F(CsvReaderTest, QuoteInsideAnUnquotedFieldSpoilsOnlyItsRow) {
  std::unique_ptr<CsvReader> reader = OpenContent("a\"b,\"x\ny\"\r\nc,d\n");
  ASSERT_NE(reader, nullptr);
  const std::string path = reader->path();
  std::vector<std::string> fields;
  bool end_of_file = false;
  Status first = reader->ReadRow(&fields, &end_of_file);
  EXPECT_EQ(first.code(), StatusCode::kParseError);
  EXPECT_TRUE(reader->last_row_skipped());
  EXPECT_EQ(first.message().rfind(path + ":1: quote character inside an unquoted field", 0), 0u);
  // The rest of line 1 is skipped; line 2 is a row of its own (its quote
  // spoils it too), line 3 is read as usual.
  EXPECT_EQ(reader->ReadRow(&fields, &end_of_file).code(), StatusCode::kParseError);
  ASSERT_TRUE(reader->ReadRow(&fields, &end_of_file).ok());
  EXPECT_FALSE(reader->last_row_skipped());
  EXPECT_EQ(fields, (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(reader->row_start_line(), 3u);
}

TEST_F(CsvReaderTest, ErrorIsSticky) {
  std::unique_ptr<CsvReader> reader = OpenContent("a,\"b\"c\nc\n");
  ASSERT_NE(reader, nullptr);
  std::vector<std::string> fields;
  bool end_of_file = false;
  Status first = reader->ReadRow(&fields, &end_of_file);
  EXPECT_EQ(first.code(), StatusCode::kParseError);
  Status second = reader->ReadRow(&fields, &end_of_file);
  EXPECT_EQ(second.message(), first.message());
}

TEST_F(CsvReaderTest, FieldLimitStopsRunawayQuote) {
  CsvOptions options;
  options.max_field_bytes = 10;
  options.block_bytes = 4;
  ReadResult r = ReadAll("ok\n\"" + std::string(100, 'x') + "\n" + std::string(100, 'y'), options);
  EXPECT_EQ(r.status.code(), StatusCode::kParseError);
  EXPECT_EQ(
      r.status.message().rfind(directory_ + "/input.csv:2: quoted field longer than 10 bytes "
                                            "(started at line 2, column 1); usually a quote that "
                                            "is never closed",
                               0),
      0u)
      << r.status.message();
  ReadResult unquoted = ReadAll(std::string(11, 'z'), options);
  EXPECT_NE(unquoted.status.message().find(":1: unquoted field longer than 10 bytes"),
            std::string::npos)
      << unquoted.status.message();
  ReadResult escaped = ReadAll("\"aaaaaaaaaa\"\"\"\n", options);
  EXPECT_EQ(escaped.status.code(), StatusCode::kParseError) << "ten letters plus a quote";
}

TEST_F(CsvReaderTest, AnOverlongUnquotedFieldSpoilsOnlyItsRow) {
  CsvOptions options;
  options.max_field_bytes = 10;
  options.block_bytes = 4;
  std::unique_ptr<CsvReader> reader =
      OpenContent("a,b\n" + std::string(50, 'x') + ",y\nc,d\n", options);
  ASSERT_NE(reader, nullptr);
  std::vector<std::string> fields;
  bool end_of_file = false;
  ASSERT_TRUE(reader->ReadRow(&fields, &end_of_file).ok());
  EXPECT_EQ(reader->ReadRow(&fields, &end_of_file).code(), StatusCode::kParseError);
  EXPECT_TRUE(reader->last_row_skipped());
  ASSERT_TRUE(reader->ReadRow(&fields, &end_of_file).ok());
  EXPECT_EQ(fields, (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(reader->row_start_line(), 3u);
}

TEST_F(CsvReaderTest, FieldAtLimitIsAccepted) {
  CsvOptions options;
  options.max_field_bytes = 10;
  EXPECT_EQ(ReadAll(std::string(10, 'a') + ",\"" + std::string(10, 'b') + "\"\n", options).rows,
            (Rows{{std::string(10, 'a'), std::string(10, 'b')}}));
}

TEST_F(CsvReaderTest, SameResultForEveryBlockSize) {
  const std::string content =
      "\xEF\xBB\xBF"
      "full_name,token\r\n"
      "\"O'Brien, Jr.\",t1\r\n"
      "\"say \"\"hi\"\"\",\"t\r\n2\"\n"
      "\n"
      "plain,\"\"\r"
      "\"a\rb\",\"c\nd\"\r\n"
      ",\n"
      "last,row";
  ReadResult expected = ReadAll(content);
  ASSERT_TRUE(expected.status.ok()) << expected.status.ToString();
  EXPECT_EQ(expected.rows, (Rows{{"full_name", "token"},
                                 {"O'Brien, Jr.", "t1"},
                                 {"say \"hi\"", "t\r\n2"},
                                 {""},
                                 {"plain", ""},
                                 {"a\rb", "c\nd"},
                                 {"", ""},
                                 {"last", "row"}}));
  EXPECT_EQ(expected.start_lines, (std::vector<uint64_t>{1, 2, 3, 5, 6, 7, 10, 11}));
  for (size_t block = 1; block <= 17; ++block) {
    CsvOptions options;
    options.block_bytes = block;
    ReadResult r = ReadAll(content, options);
    ASSERT_TRUE(r.status.ok()) << "block " << block << ": " << r.status.ToString();
    EXPECT_EQ(r.rows, expected.rows) << "block " << block;
    EXPECT_EQ(r.start_lines, expected.start_lines) << "block " << block;
    EXPECT_EQ(r.end_lines, expected.end_lines) << "block " << block;
  }
}

TEST_F(CsvReaderTest, SameErrorForEveryBlockSize) {
  const std::string content = "a\n\"b\r\nc\",d\nxy,\"e\"\"f\"g\n";
  ReadResult expected = ReadAll(content);
  ASSERT_EQ(expected.status.code(), StatusCode::kParseError);
  EXPECT_NE(expected.status.message().find(":4: unexpected 'g'"), std::string::npos)
      << expected.status.message();
  for (size_t block = 1; block <= 12; ++block) {
    CsvOptions options;
    options.block_bytes = block;
    EXPECT_EQ(ReadAll(content, options).status.message(), expected.status.message())
        << "block " << block;
  }
}

TEST_F(CsvReaderTest, ReadsFileLargerThanOneBlock) {
  std::string content = "full_name\n";
  for (int i = 0; i < 200000; ++i) {
    content += (i % 3 == 0) ? "\"Last, First " + std::to_string(i) + "\"\n"
                            : "Name " + std::to_string(i) + "\n";
  }
  ASSERT_GT(content.size(), size_t{1} << 21);
  ReadResult r = ReadAll(content);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.rows.size(), 200001u);
  EXPECT_EQ(r.rows[1], (std::vector<std::string>{"Last, First 0"}));
  EXPECT_EQ(r.rows[200000], (std::vector<std::string>{"Name 199999"}));
  EXPECT_EQ(r.start_lines.back(), 200001u);
}

TEST_F(CsvReaderTest, ReusesFieldsVectorAcrossRowsOfDifferentWidth) {
  const std::string path = Write("w.csv", "a,b,c\nd\ne,f\n");
  Result<std::unique_ptr<CsvReader>> reader = CsvReader::Open(path);
  ASSERT_TRUE(reader.ok());
  std::vector<std::string> fields = {"stale", "stale", "stale", "stale", "stale"};
  bool end_of_file = false;
  ASSERT_TRUE((*reader)->ReadRow(&fields, &end_of_file).ok());
  EXPECT_EQ(fields, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_TRUE((*reader)->ReadRow(&fields, &end_of_file).ok());
  EXPECT_EQ(fields, (std::vector<std::string>{"d"}));
  ASSERT_TRUE((*reader)->ReadRow(&fields, &end_of_file).ok());
  EXPECT_EQ(fields, (std::vector<std::string>{"e", "f"}));
  ASSERT_TRUE((*reader)->ReadRow(&fields, &end_of_file).ok());
  EXPECT_TRUE(end_of_file);
  EXPECT_TRUE(fields.empty());
  ASSERT_TRUE((*reader)->ReadRow(&fields, &end_of_file).ok());
  EXPECT_TRUE(end_of_file) << "end of file stays reported";
  EXPECT_EQ((*reader)->path(), path);
}

}  // namespace
}  // namespace skyflow
