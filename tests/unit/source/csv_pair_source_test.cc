#include "source/csv_pair_source.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/seed_vaults.h"

namespace skyflow {
namespace {

class CsvPairSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "csv_pair_source_test_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    layout_.data_path = directory_ + "/name_data.csv";
    layout_.tokens_path = directory_ + "/name_tokens.csv";
    layout_.value_header = "full_name";
    layout_.token_header = "full_name_token";
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  void WriteFiles(const std::string& data, const std::string& tokens) {
    std::ofstream(layout_.data_path, std::ios::binary) << data;
    std::ofstream(layout_.tokens_path, std::ios::binary) << tokens;
  }

  std::unique_ptr<CsvPairSource> OpenSource() {
    Result<std::unique_ptr<CsvPairSource>> source = CsvPairSource::Open(layout_);
    EXPECT_TRUE(source.ok()) << source.status().ToString();
    return source.ok() ? std::move(source).value() : nullptr;
  }

  // Every row of the two files, read in chunks of 10; the read must succeed.
  SourceChunk ReadFiles(const std::string& data, const std::string& tokens) {
    WriteFiles(data, tokens);
    SourceChunk all;
    std::unique_ptr<CsvPairSource> source = OpenSource();
    if (source) {
      EXPECT_TRUE(ReadAll(source.get(), 10, &all).ok());
    }
    return all;
  }

  // Drains the source in chunks of `max_rows`; returns the status that ended it.
  Status ReadAll(RecordSource* source, size_t max_rows, SourceChunk* all) {
    for (int calls = 0; calls < 100000; ++calls) {
      SourceChunk chunk;
      Status status = source->Next(max_rows, &chunk);
      if (!status.ok()) return status;
      EXPECT_LE(chunk.rows(), max_rows);
      for (Record& record : chunk.records)
        all->records.push_back(std::move(record));
      for (RejectedRow& row : chunk.rejected)
        all->rejected.push_back(std::move(row));
      if (chunk.end_of_input) {
        all->end_of_input = true;
        return Status::Ok();
      }
    }
    return Status::Internal("source never ended");
  }

  std::string directory_;
  CsvPairLayout layout_;
};

TEST(CsvLayoutForTest, DefaultsFollowTheSeed) {
  VaultConfig name;
  name.name = "NAME";
  name.column = "name";
  // The source itself knows no vault names: the value header is the column
  // unless the configuration says otherwise.
  EXPECT_EQ(CsvLayoutFor(name, "data").value_header, "name");
  ApplySeedVaultDefaults(&name);
  CsvPairLayout layout = CsvLayoutFor(name, "data");
  EXPECT_EQ(layout.data_path, "data/name_data.csv");
  EXPECT_EQ(layout.tokens_path, "data/name_tokens.csv");
  EXPECT_EQ(layout.value_header, "full_name");
  EXPECT_EQ(layout.token_header, "full_name_token");

  VaultConfig ssn;
  ssn.name = "SSN";
  ssn.column = "ssn";
  layout = CsvLayoutFor(ssn, "/srv/export/");
  EXPECT_EQ(layout.data_path, "/srv/export/ssn_data.csv");
  EXPECT_EQ(layout.tokens_path, "/srv/export/ssn_tokens.csv");
  EXPECT_EQ(layout.value_header, "ssn");
  EXPECT_EQ(layout.token_header, "ssn_token");
}

TEST(CsvLayoutForTest, ExplicitFieldsWinAndAbsolutePathsAreKept) {
  VaultConfig vault;
  vault.name = "name";
  vault.column = "name";
  vault.value_header = "patient_name";
  vault.data_file = "exports/patients.csv";
  vault.tokens_file = "/abs/patient_tokens.csv";
  CsvPairLayout layout = CsvLayoutFor(vault, "data");
  EXPECT_EQ(layout.data_path, "data/exports/patients.csv");
  EXPECT_EQ(layout.tokens_path, "/abs/patient_tokens.csv");
  EXPECT_EQ(layout.value_header, "patient_name");
  EXPECT_EQ(layout.token_header, "patient_name_token");

  vault.token_header = "tok";
  EXPECT_EQ(CsvLayoutFor(vault, "").token_header, "tok");
  EXPECT_EQ(CsvLayoutFor(vault, "").data_path, "exports/patients.csv");
}

TEST_F(CsvPairSourceTest, PairsRowsInOrder) {
  WriteFiles("full_name\nAnn B. Smith\n\"O'Brien, Jr.\"\n", "full_name_token\nt1\nt2\n");
  std::unique_ptr<CsvPairSource> source = OpenSource();
  ASSERT_NE(source, nullptr);
  SourceChunk chunk;
  ASSERT_TRUE(source->Next(100, &chunk).ok());
  EXPECT_TRUE(chunk.end_of_input);
  EXPECT_TRUE(chunk.rejected.empty());
  ASSERT_EQ(chunk.records.size(), 2u);
  EXPECT_EQ(chunk.records[0].sequence, 0u);
  EXPECT_EQ(chunk.records[0].origin_line, 2u);
  EXPECT_EQ(chunk.records[0].value, "Ann B. Smith");
  EXPECT_EQ(chunk.records[0].token, "t1");
  EXPECT_EQ(chunk.records[1].sequence, 1u);
  EXPECT_EQ(chunk.records[1].origin_line, 3u);
  EXPECT_EQ(chunk.records[1].value, "O'Brien, Jr.");
  EXPECT_EQ(chunk.records[1].token, "t2");

  SourceChunk after;
  ASSERT_TRUE(source->Next(100, &after).ok());
  EXPECT_TRUE(after.end_of_input);
  EXPECT_EQ(after.rows(), 0u);
}

TEST_F(CsvPairSourceTest, DescribeAndOrigin) {
  WriteFiles("full_name\n", "full_name_token\n");
  std::unique_ptr<CsvPairSource> source = OpenSource();
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(source->Describe(), "CSV " + layout_.data_path + " + " + layout_.tokens_path);
  EXPECT_EQ(FormatOrigin(source->OriginLabel(), 17), layout_.data_path + ":17");
}

TEST_F(CsvPairSourceTest, HeaderOnlyFilesHaveNoRows) {
  WriteFiles("full_name\r\n", "full_name_token");
  std::unique_ptr<CsvPairSource> source = OpenSource();
  ASSERT_NE(source, nullptr);
  SourceChunk chunk;
  ASSERT_TRUE(source->Next(10, &chunk).ok());
  EXPECT_TRUE(chunk.end_of_input);
  EXPECT_EQ(chunk.rows(), 0u);
}

TEST_F(CsvPairSourceTest, RejectsEmptyValuesAndTokensWithOrigin) {
  WriteFiles("full_name\nann\n\nbob\n\ncid\n", "full_name_token\nt1\nt2\n\n\nt5\n");
  std::unique_ptr<CsvPairSource> source = OpenSource();
  ASSERT_NE(source, nullptr);
  SourceChunk all;
  ASSERT_TRUE(ReadAll(source.get(), 100, &all).ok());
  ASSERT_EQ(all.records.size(), 2u);
  EXPECT_EQ(all.records[0].sequence, 0u);
  EXPECT_EQ(all.records[1].sequence, 4u);
  EXPECT_EQ(all.records[1].value, "cid");
  EXPECT_EQ(all.records[1].origin_line, 6u);
  ASSERT_EQ(all.rejected.size(), 3u);
  EXPECT_EQ(all.rejected[0].sequence, 1u);
  EXPECT_EQ(all.rejected[0].reason, "empty value");
  EXPECT_EQ(all.rejected[0].origin, layout_.data_path + ":3");
  EXPECT_EQ(all.rejected[0].token, "t2");
  EXPECT_EQ(all.rejected[1].sequence, 2u);
  EXPECT_EQ(all.rejected[1].reason, "empty token");
  EXPECT_EQ(all.rejected[1].value, "bob");
  EXPECT_EQ(all.rejected[1].origin, layout_.data_path + ":4");
  EXPECT_EQ(all.rejected[2].sequence, 3u);
  EXPECT_EQ(all.rejected[2].reason, "empty value and token");
  EXPECT_EQ(all.rejected[2].origin, layout_.data_path + ":5");
}

TEST_F(CsvPairSourceTest, OriginNamesBothFilesWhenLinesDiffer) {
  WriteFiles("full_name\n\"two\nlines\"\n\n", "full_name_token\nt1\nt2\n");
  std::unique_ptr<CsvPairSource> source = OpenSource();
  ASSERT_NE(source, nullptr);
  SourceChunk all;
  ASSERT_TRUE(ReadAll(source.get(), 100, &all).ok());
  ASSERT_EQ(all.records.size(), 1u);
  EXPECT_EQ(all.records[0].value, "two\nlines");
  EXPECT_EQ(all.records[0].origin_line, 2u);
  ASSERT_EQ(all.rejected.size(), 1u);
  EXPECT_EQ(all.rejected[0].reason, "empty value");
  EXPECT_EQ(all.rejected[0].origin, layout_.data_path + ":4 / " + layout_.tokens_path + ":3");
}

TEST_F(CsvPairSourceTest, KeepsSurroundingWhitespace) {
  WriteFiles("full_name\n  ann  \n", "full_name_token\n t1\n");
  std::unique_ptr<CsvPairSource> source = OpenSource();
  ASSERT_NE(source, nullptr);
  SourceChunk all;
  ASSERT_TRUE(ReadAll(source.get(), 100, &all).ok());
  ASSERT_EQ(all.records.size(), 1u);
  EXPECT_EQ(all.records[0].value, "  ann  ");
  EXPECT_EQ(all.records[0].token, " t1");
}

TEST_F(CsvPairSourceTest, RejectsRowsWhoseWidthDiffersFromTheHeader) {
  WriteFiles("full_name\nSmith, John\nok\n", "full_name_token\nt1\nt2,extra\n");
  std::unique_ptr<CsvPairSource> source = OpenSource();
  ASSERT_NE(source, nullptr);
  SourceChunk all;
  ASSERT_TRUE(ReadAll(source.get(), 100, &all).ok());
  EXPECT_TRUE(all.records.empty());
  ASSERT_EQ(all.rejected.size(), 2u);
  EXPECT_EQ(all.rejected[0].reason,
            "data row has 2 fields but the header has 1; enclose fields that contain ',' in "
            "quotes");
  EXPECT_EQ(all.rejected[0].origin, layout_.data_path + ":2");
  EXPECT_EQ(all.rejected[1].reason,
            "token row has 2 fields but the header has 1; enclose fields that contain ',' in "
            "quotes");
  EXPECT_EQ(all.rejected[1].value, "ok");
}

TEST_F(CsvPairSourceTest, RejectsRowTooShortForTheColumn) {
  WriteFiles("id,full_name\n7,ann\n\n", "full_name_token\nt1\nt2\n");
  std::unique_ptr<CsvPairSource> source = OpenSource();
  ASSERT_NE(source, nullptr);
  SourceChunk all;
  ASSERT_TRUE(ReadAll(source.get(), 100, &all).ok());
  ASSERT_EQ(all.records.size(), 1u);
  ASSERT_EQ(all.rejected.size(), 1u);
  EXPECT_EQ(all.rejected[0].sequence, 1u);
  EXPECT_EQ(all.rejected[0].reason,
            "data row has 1 field but the header has 2; enclose fields that contain ',' in quotes");
  EXPECT_EQ(all.rejected[0].value, "");
  EXPECT_EQ(all.rejected[0].token, "t2");
}

TEST_F(CsvPairSourceTest, RejectsInvalidUtf8) {
  WriteFiles("full_name\nJos\xE9\n", "full_name_token\nt1\n");
  std::unique_ptr<CsvPairSource> source = OpenSource();
  ASSERT_NE(source, nullptr);
  SourceChunk all;
  ASSERT_TRUE(ReadAll(source.get(), 100, &all).ok());
  ASSERT_EQ(all.rejected.size(), 1u);
  EXPECT_EQ(all.rejected[0].reason,
            "value is not valid UTF-8 (byte 4); re-export the file as UTF-8");
}

TEST_F(CsvPairSourceTest, FindsColumnAmongOthersAfterTrimmingHeaderNames) {
  WriteFiles("\xEF\xBB\xBFid, full_name ,dob\n1,ann,2000-01-01\n2,\"b, c\",2001-01-01\n",
             "skyflow_id,\tfull_name_token\r\ns1,t1\r\ns2,t2\r\n");
  std::unique_ptr<CsvPairSource> source = OpenSource();
  ASSERT_NE(source, nullptr);
  SourceChunk all;
  ASSERT_TRUE(ReadAll(source.get(), 100, &all).ok());
  ASSERT_EQ(all.records.size(), 2u);
  EXPECT_EQ(all.records[0].value, "ann");
  EXPECT_EQ(all.records[0].token, "t1");
  EXPECT_EQ(all.records[1].value, "b, c");
  EXPECT_EQ(all.records[1].token, "t2");
}

TEST_F(CsvPairSourceTest, OtherDelimiter) {
  WriteFiles("full_name|id|dob|ssn\nann|1|2000-01-01|123-45-6789\n", "full_name_token\nt1\n");
  CsvOptions options;
  options.delimiter = '|';
  Result<std::unique_ptr<CsvPairSource>> source = CsvPairSource::Open(layout_, options);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  SourceChunk all;
  ASSERT_TRUE(ReadAll(source->get(), 100, &all).ok());
  ASSERT_EQ(all.records.size(), 1u);
  EXPECT_EQ(all.records[0].value, "ann");
}

TEST_F(CsvPairSourceTest, MissingColumnNamesFileHeadersAndConfigKey) {
  WriteFiles("name,id\nann,1\n", "full_name_token\nt1\n");
  Result<std::unique_ptr<CsvPairSource>> source = CsvPairSource::Open(layout_);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(source.status().message(),
            layout_.data_path +
                ":1: the header has no column \"full_name\" (found: \"name\", \"id\"); rename the "
                "column in the file or set \"value_header\" for this vault in config.json");

  WriteFiles("full_name\nann\n", "token\nt1\n");
  source = CsvPairSource::Open(layout_);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().message(),
            layout_.tokens_path +
                ":1: the header has no column \"full_name_token\" (found: \"token\"); rename the "
                "column in the file or set \"token_header\" for this vault in config.json");
}

TEST_F(CsvPairSourceTest, DuplicateColumnIsAnError) {
  WriteFiles("full_name,full_name\na,b\n", "full_name_token\nt1\n");
  Result<std::unique_ptr<CsvPairSource>> source = CsvPairSource::Open(layout_);
  ASSERT_FALSE(source.ok());
  EXPECT_NE(source.status().message().find("names column \"full_name\" twice (fields 1 and 2)"),
            std::string::npos)
      << source.status().message();
}

TEST_F(CsvPairSourceTest, EmptyFileIsAnError) {
  WriteFiles("", "full_name_token\n");
  Result<std::unique_ptr<CsvPairSource>> source = CsvPairSource::Open(layout_);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(source.status().message(),
            layout_.data_path + " is empty; expected a header row naming the column \"full_name\"");
}

TEST_F(CsvPairSourceTest, MissingFileIsNotFound) {
  WriteFiles("full_name\n", "full_name_token\n");
  std::filesystem::remove(layout_.tokens_path);
  Result<std::unique_ptr<CsvPairSource>> source = CsvPairSource::Open(layout_);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().code(), StatusCode::kNotFound);
  EXPECT_NE(source.status().message().find(layout_.tokens_path), std::string::npos);
}

TEST_F(CsvPairSourceTest, AStrayQuoteRejectsItsRowAndKeepsTheFilesPaired) {
  const SourceChunk all =
      ReadFiles("full_name\nAnn\nB\"ob\nCid\n", "full_name_token\nt1\nt2\nt3\n");
  ASSERT_EQ(all.records.size(), 2u);
  EXPECT_EQ(all.records[1].value, "Cid");
  EXPECT_EQ(all.records[1].token, "t3");
  ASSERT_EQ(all.rejected.size(), 1u);
  EXPECT_EQ(all.rejected[0].sequence, 1u);
  EXPECT_EQ(all.rejected[0].token, "t2");
  EXPECT_NE(all.rejected[0].reason.find(":3: quote character inside an unquoted field"),
            std::string::npos)
      << all.rejected[0].reason;
}

TEST_F(CsvPairSourceTest, ANulByteRejectsItsRow) {
  const SourceChunk all =
      ReadFiles(std::string("full_name\nAnn\nB\0b\n", 18), "full_name_token\nt1\nt2\n");
  EXPECT_EQ(all.records.size(), 1u);
  ASSERT_EQ(all.rejected.size(), 1u);
  EXPECT_NE(all.rejected[0].reason.find("NUL byte"), std::string::npos);
}

TEST_F(CsvPairSourceTest, TokensFileEndsFirst) {
  std::string data = "full_name\n";
  std::string tokens = "full_name_token\n";
  for (int i = 0; i < 1000; ++i) {
    data += "n" + std::to_string(i) + "\n";
    tokens += "t" + std::to_string(i) + "\n";
  }
  data += "extra\n";
  WriteFiles(data, tokens);
  std::unique_ptr<CsvPairSource> source = OpenSource();
  ASSERT_NE(source, nullptr);
  SourceChunk all;
  Status status = ReadAll(source.get(), 300, &all);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            layout_.tokens_path + " ends at line 1001 (1000 tokens) but " + layout_.data_path +
                " has more rows (next at line 1002); both files must have one row per record");
  EXPECT_EQ(all.records.size(), 1000u) << "every row before the error";
  SourceChunk again;
  EXPECT_EQ(source->Next(10, &again).message(), status.message()) << "the error is final";
}

TEST_F(CsvPairSourceTest, DataFileEndsFirst) {
  WriteFiles("full_name\na\n", "full_name_token\nt1\n\"t\n2\"\n");
  std::unique_ptr<CsvPairSource> source = OpenSource();
  ASSERT_NE(source, nullptr);
  SourceChunk all;
  Status status = ReadAll(source.get(), 100, &all);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            layout_.data_path + " ends at line 2 (1 value) but " + layout_.tokens_path +
                " has more rows (next at line 3); both files must have one row per record");
}

TEST_F(CsvPairSourceTest, DataRowsButNoTokenRows) {
  WriteFiles("full_name\na\n", "full_name_token\n");
  std::unique_ptr<CsvPairSource> source = OpenSource();
  ASSERT_NE(source, nullptr);
  SourceChunk all;
  Status status = ReadAll(source.get(), 100, &all);
  EXPECT_EQ(status.message(),
            layout_.tokens_path + " ends at line 1 (0 tokens) but " + layout_.data_path +
                " has more rows (next at line 2); both files must have one row per record");
}

TEST_F(CsvPairSourceTest, MalformedCsvEndsTheSource) {
  WriteFiles("full_name\nok\n\"open\n", "full_name_token\nt1\nt2\n");
  std::unique_ptr<CsvPairSource> source = OpenSource();
  ASSERT_NE(source, nullptr);
  SourceChunk all;
  Status status = ReadAll(source.get(), 100, &all);
  EXPECT_EQ(status.code(), StatusCode::kParseError);
  EXPECT_EQ(status.message().rfind(layout_.data_path + ":3: unterminated quoted field", 0), 0u)
      << status.message();
}

TEST_F(CsvPairSourceTest, SmallChunksGiveTheSameRowsAsOneLargeChunk) {
  std::string data = "full_name\n";
  std::string tokens = "full_name_token\n";
  for (int i = 0; i < 25; ++i) {
    data += (i % 7 == 3) ? "\n" : "\"name, " + std::to_string(i) + "\"\n";
    tokens += (i % 5 == 4) ? "\n" : "tok" + std::to_string(i) + "\n";
  }
  WriteFiles(data, tokens);

  std::unique_ptr<CsvPairSource> whole = OpenSource();
  ASSERT_NE(whole, nullptr);
  SourceChunk expected;
  ASSERT_TRUE(whole->Next(1000, &expected).ok());
  EXPECT_TRUE(expected.end_of_input);
  EXPECT_EQ(expected.rows(), 25u);

  std::unique_ptr<CsvPairSource> pieces = OpenSource();
  ASSERT_NE(pieces, nullptr);
  SourceChunk chunked;
  ASSERT_TRUE(ReadAll(pieces.get(), 2, &chunked).ok());
  ASSERT_EQ(chunked.records.size(), expected.records.size());
  ASSERT_EQ(chunked.rejected.size(), expected.rejected.size());
  for (size_t i = 0; i < expected.records.size(); ++i) {
    EXPECT_EQ(chunked.records[i].sequence, expected.records[i].sequence);
    EXPECT_EQ(chunked.records[i].origin_line, expected.records[i].origin_line);
    EXPECT_EQ(chunked.records[i].value, expected.records[i].value);
    EXPECT_EQ(chunked.records[i].token, expected.records[i].token);
  }
  for (size_t i = 0; i < expected.rejected.size(); ++i) {
    EXPECT_EQ(chunked.rejected[i].sequence, expected.rejected[i].sequence);
    EXPECT_EQ(chunked.rejected[i].origin, expected.rejected[i].origin);
    EXPECT_EQ(chunked.rejected[i].reason, expected.rejected[i].reason);
  }
  // Every row has a sequence number, none twice, none skipped.
  std::vector<bool> seen(25, false);
  for (const Record& record : chunked.records)
    seen.at(record.sequence) = true;
  for (const RejectedRow& row : chunked.rejected)
    seen.at(row.sequence) = true;
  EXPECT_EQ(std::count(seen.begin(), seen.end(), true), 25);
}

TEST_F(CsvPairSourceTest, ZeroRowsRequestedReadsNothing) {
  WriteFiles("full_name\na\n", "full_name_token\nt1\n");
  std::unique_ptr<CsvPairSource> source = OpenSource();
  ASSERT_NE(source, nullptr);
  SourceChunk chunk;
  ASSERT_TRUE(source->Next(0, &chunk).ok());
  EXPECT_EQ(chunk.rows(), 0u);
  EXPECT_FALSE(chunk.end_of_input);
  ASSERT_TRUE(source->Next(1, &chunk).ok());
  EXPECT_EQ(chunk.records.size(), 1u);
  EXPECT_EQ(chunk.records[0].sequence, 0u);
}

// A source resumed at any row boundary, in a new object (a new process),
// continues with exactly the rows an uninterrupted read gives from there:
// same sequences, lines, values and rejections, across CRLF, quoted line
// breaks and a byte order mark.
TEST_F(CsvPairSourceTest, ResumesAtEveryCursorWithTheSameRowsThatFollow) {
  WriteFiles(
      "\xEF\xBB\xBF"
      "full_name\r\nAnn\r\n\"two\nlines\"\n\nBob\r\n\"Q, \"\"R\"\"\"\nlast",
      "full_name_token\nt1\nt2\nt3\r\nt4\nt5\nt6\n");
  std::vector<std::pair<uint64_t, std::string>> cursors;  // (next sequence, cursor)
  SourceChunk whole;
  {
    std::unique_ptr<CsvPairSource> source = OpenSource();
    ASSERT_NE(source, nullptr);
    cursors.push_back({0, source->Cursor()});
    for (int calls = 0; calls < 20; ++calls) {
      SourceChunk chunk;
      ASSERT_TRUE(source->Next(1, &chunk).ok());
      for (Record& record : chunk.records)
        whole.records.push_back(record);
      for (RejectedRow& row : chunk.rejected)
        whole.rejected.push_back(row);
      if (chunk.rows() > 0) cursors.push_back({cursors.back().first + 1, source->Cursor()});
      if (chunk.end_of_input) break;
    }
  }
  ASSERT_EQ(whole.records.size() + whole.rejected.size(), 6u);
  for (const auto& [next_sequence, cursor] : cursors) {
    std::unique_ptr<CsvPairSource> resumed = OpenSource();
    ASSERT_NE(resumed, nullptr);
    ASSERT_TRUE(resumed->Resume(next_sequence, cursor).ok()) << cursor;
    SourceChunk rest;
    ASSERT_TRUE(ReadAll(resumed.get(), 10, &rest).ok());
    std::vector<Record> expected;
    for (const Record& record : whole.records) {
      if (record.sequence >= next_sequence) expected.push_back(record);
    }
    ASSERT_EQ(rest.records.size(), expected.size()) << "resumed at " << cursor;
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(rest.records[i].sequence, expected[i].sequence);
      EXPECT_EQ(rest.records[i].origin_line, expected[i].origin_line);
      EXPECT_EQ(rest.records[i].value, expected[i].value);
      EXPECT_EQ(rest.records[i].token, expected[i].token);
    }
    size_t rejected_after = 0;
    for (const RejectedRow& row : whole.rejected)
      rejected_after += row.sequence >= next_sequence ? 1 : 0;
    EXPECT_EQ(rest.rejected.size(), rejected_after) << "resumed at " << cursor;
  }
}

TEST_F(CsvPairSourceTest, IdentityChangesWhenAFileDoes) {
  WriteFiles("full_name\nAnn\n", "full_name_token\nt1\n");
  const std::vector<SourceFact> before = OpenSource()->Identity();
  EXPECT_EQ(OpenSource()->Identity(), before);
  WriteFiles("full_name\nAnn\nBob\n", "full_name_token\nt1\nt2\n");
  EXPECT_NE(OpenSource()->Identity(), before);
}

TEST_F(CsvPairSourceTest, AForeignCursorIsRefusedClearly) {
  WriteFiles("full_name\nAnn\n", "full_name_token\nt1\n");
  std::unique_ptr<CsvPairSource> source = OpenSource();
  const Status status = source->Resume(3, "not a cursor");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("start a new run"), std::string::npos) << status.message();
  const Status beyond = OpenSource()->Resume(5, "9999:40,9999:40");
  ASSERT_FALSE(beyond.ok());
  EXPECT_NE(beyond.message().find("changed since the run began"), std::string::npos)
      << beyond.message();
}

}  // namespace
}  // namespace skyflow
