#include "error_log/error_log_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "error_log_test_files.h"

namespace skyflow {
namespace {

ErrorLogEntry Entry(uint64_t sequence, int64_t status = 503) {
  ErrorLogEntry entry;
  entry.time = "2026-11-24T10:00:00Z";
  entry.vault = "SSN";
  entry.vault_id = "v1";
  entry.table = "ssn";
  entry.column = "ssn";
  entry.origin = "data/ssn_data.csv:" + std::to_string(sequence + 2);
  entry.sequence = sequence;
  entry.batch = 1 + sequence / 2;
  entry.status = status;
  entry.message = "HTTP " + std::to_string(status);
  entry.attempts = 5;
  entry.value = "value-" + std::to_string(sequence);
  entry.token = "tok-" + std::to_string(sequence);
  return entry;
}

std::string Lines(const std::vector<ErrorLogEntry>& entries) {
  std::string text;
  for (const ErrorLogEntry& entry : entries)
    AppendErrorLogLine(entry, &text);
  return text;
}

struct ReadAll {
  std::vector<ErrorLogEntry> entries;
  std::vector<uint64_t> lines;
  Status end;
  ErrorLogFormat format = ErrorLogFormat::kJsonLines;
  std::optional<uint64_t> torn_line;
};

ReadAll Read(const std::string& path, ErrorLogReadOptions options = {}) {
  ReadAll all;
  Result<std::unique_ptr<ErrorLogReader>> reader = ErrorLogReader::Open(path, options);
  if (!reader.ok()) {
    all.end = reader.status();
    return all;
  }
  all.format = (*reader)->format();
  for (int guard = 0; guard < 100000; ++guard) {
    ErrorLogEntry entry;
    uint64_t line = 0;
    Result<bool> more = (*reader)->Next(&entry, &line);
    if (!more.ok()) {
      all.end = more.status();
      break;
    }
    if (!*more) break;
    all.entries.push_back(entry);
    all.lines.push_back(line);
  }
  all.torn_line = (*reader)->torn_line();
  return all;
}

TEST(ErrorLogReaderTest, ReadsJsonLinesInOrderWithTheirLines) {
  const std::vector<ErrorLogEntry> entries = {Entry(0), Entry(1), Entry(4, 0)};
  const std::string text = Lines({entries[0]}) + "\n  \n" + Lines({entries[1], entries[2]});
  const ReadAll all = Read(WriteScratch("lines.jsonl", text));
  ASSERT_TRUE(all.end.ok()) << all.end.ToString();
  EXPECT_EQ(all.format, ErrorLogFormat::kJsonLines);
  EXPECT_EQ(all.entries, entries);
  EXPECT_EQ(all.lines, (std::vector<uint64_t>{1, 4, 5}));
}

TEST(ErrorLogReaderTest, ALastLineWithoutNewlineIsReadWhenWhole) {
  std::string text = Lines({Entry(0), Entry(1)});
  text.pop_back();
  const ReadAll all = Read(WriteScratch("no_newline.jsonl", "\xEF\xBB\xBF" + text));
  ASSERT_TRUE(all.end.ok()) << all.end.ToString();
  EXPECT_EQ(all.entries.size(), 2u);
}

TEST(ErrorLogReaderTest, ATornLastLineIsAnErrorNamingItUnlessSkipped) {
  std::string text = Lines({Entry(0), Entry(1), Entry(2)});
  text.resize(text.size() - 30);
  const std::string path = WriteScratch("torn.jsonl", text);
  const ReadAll all = Read(path);
  EXPECT_EQ(all.entries.size(), 2u);
  EXPECT_EQ(all.end.code(), StatusCode::kParseError);
  EXPECT_NE(all.end.message().find("error log " + path + ":3: the last line is cut short"),
            std::string::npos)
      << all.end.message();
  EXPECT_NE(all.end.message().find("-error-log-skip-torn"), std::string::npos);

  ErrorLogReadOptions options;
  options.skip_torn_tail = true;
  const ReadAll skipped = Read(path, options);
  ASSERT_TRUE(skipped.end.ok()) << skipped.end.ToString();
  EXPECT_EQ(skipped.entries.size(), 2u);
  EXPECT_EQ(skipped.torn_line, 3u);
}

TEST(ErrorLogReaderTest, ABadLineInTheMiddleIsAnErrorEvenWhenSkippingTornTails) {
  std::string good = Lines({Entry(0)});
  std::string bad = good;
  bad.resize(bad.size() - 20);
  ErrorLogReadOptions options;
  options.skip_torn_tail = true;
  const std::string path = WriteScratch("middle.jsonl", good + bad + "\n" + good);
  const ReadAll all = Read(path, options);
  EXPECT_EQ(all.entries.size(), 1u);
  EXPECT_NE(all.end.message().find(path + ":2: not an error log entry: not valid JSON"),
            std::string::npos)
      << all.end.message();
}

TEST(ErrorLogReaderTest, AWrongTypeNamesTheLineAndTheField) {
  std::string second = Lines({Entry(1)});
  second.replace(second.find("\"batch\":1"), 9, "\"batch\":\"1\"");
  const std::string path = WriteScratch("type.jsonl", Lines({Entry(0)}) + second);
  const ReadAll all = Read(path);
  EXPECT_EQ(all.end.code(), StatusCode::kParseError);
  EXPECT_NE(all.end.message().find(path + ":2: not an error log entry: field \"batch\" must be"),
            std::string::npos)
      << all.end.message();
}

TEST(ErrorLogReaderTest, EmptyLogsHaveNothingToReprocess) {
  for (const char* text : {"", "\n\n  \n"}) {
    const std::string path = WriteScratch("empty.jsonl", text);
    const ReadAll all = Read(path);
    EXPECT_EQ(all.end.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(all.end.message(),
              "error log " + path + " holds no failed records: nothing to reprocess");
  }
  const std::string go = WriteScratch(
      "empty_go.json", "{\n  \"vault_name\": \"ID\",\n  \"errors\": [{\"records\": []}]\n}\n");
  EXPECT_EQ(Read(go).end.message(),
            "error log " + go + " holds no failed records: nothing to reprocess");
}

TEST(ErrorLogReaderTest, RefusesFilesInNeitherFormat) {
  for (const char* text : {"value,token\n1,2\n", "[{\"vault\":\"x\"}]\n", "\"text\"\n"}) {
    const std::string path = WriteScratch("neither.txt", text);
    const ReadAll all = Read(path);
    EXPECT_EQ(all.end.code(), StatusCode::kParseError) << text;
    EXPECT_NE(all.end.message().find(path + ":1: not an error log"), std::string::npos)
        << all.end.message();
  }
  EXPECT_EQ(Read(ScratchPath("missing.jsonl")).end.code(), StatusCode::kNotFound);
  EXPECT_EQ(Read(::testing::TempDir()).end.code(), StatusCode::kIoError);
}

TEST(ErrorLogReaderTest, ALineOverTheLimitIsAnError) {
  ErrorLogEntry big = Entry(1);
  big.value = std::string(5000, 'x');
  ErrorLogReadOptions options;
  options.max_line_bytes = 4096;
  const std::string path = WriteScratch("long.jsonl", Lines({Entry(0), big}));
  const ReadAll all = Read(path, options);
  EXPECT_EQ(all.entries.size(), 1u);
  EXPECT_NE(all.end.message().find(path + ":2: line longer than"), std::string::npos)
      << all.end.message();
}

constexpr char kGoLog[] = R"({
  "vault_name": "ID",
  "vault_id": "abc123",
  "column": "id",
  "timestamp": "2025-10-09T15:30:45Z",
  "total_errors": 2,
  "failed_records": 3,
  "errors": [
    {
      "batch_number": 42,
      "records": [
        {"Value": "123", "Token": "tok_456"},
        {"Value": "124", "Token": "tok_457"}
      ],
      "error": "API request failed with status 500 after 5 retries",
      "status_code": 500,
      "timestamp": "2025-10-09T15:30:12Z"
    },
    {
      "batch_number": 43,
      "records": [{"Value": "9", "Token": "tok_9"}],
      "error": "Post \"https://x\": connection reset by peer",
      "timestamp": "2025-10-09T15:30:13Z"
    }
  ]
}
)";

TEST(ErrorLogReaderTest, ReadsTheGoLoadersDocument) {
  const ReadAll all = Read(WriteScratch("error_log_ID.json", kGoLog));
  ASSERT_TRUE(all.end.ok()) << all.end.ToString();
  EXPECT_EQ(all.format, ErrorLogFormat::kGo);
  ASSERT_EQ(all.entries.size(), 3u);
  EXPECT_EQ(all.lines, (std::vector<uint64_t>{1, 2, 3}));
  const ErrorLogEntry& first = all.entries[0];
  EXPECT_EQ(first.vault, "ID");
  EXPECT_EQ(first.vault_id, "abc123");
  EXPECT_EQ(first.column, "id");
  EXPECT_EQ(first.table, "id");
  EXPECT_EQ(first.stage, ErrorLogStage::kVault);
  EXPECT_EQ(first.outcome, ErrorLogOutcome::kFailed);
  EXPECT_EQ(first.batch, 42u);
  EXPECT_EQ(first.status, 500);
  EXPECT_EQ(first.sequence, 0u);
  EXPECT_EQ(first.time, "2025-10-09T15:30:12Z");
  EXPECT_EQ(first.value, "123");
  EXPECT_EQ(first.token, "tok_456");
  EXPECT_EQ(all.entries[1].sequence, 1u);
  EXPECT_EQ(all.entries[2].status, 0) << "status_code omitted: a transport error";
  EXPECT_EQ(all.entries[2].batch, 43u);
  EXPECT_EQ(all.entries[2].value, "9");
}

TEST(ErrorLogReaderTest, ReadsAGoDocumentOnOneLine) {
  const ReadAll all = Read(WriteScratch(
      "compact.json",
      R"({"vault_name":"ID","errors":[{"batch_number":1,"records":[{"Value":"a","Token":"b"}],"error":"e","status_code":409}]})"));
  ASSERT_TRUE(all.end.ok()) << all.end.ToString();
  EXPECT_EQ(all.format, ErrorLogFormat::kGo);
  ASSERT_EQ(all.entries.size(), 1u);
  EXPECT_EQ(all.entries[0].outcome, ErrorLogOutcome::kConflict);
}

TEST(ErrorLogReaderTest, ATruncatedGoDocumentNamesWhereItStops) {
  const std::string text = kGoLog;
  const std::string path = WriteScratch("truncated.json", text.substr(0, text.size() / 2));
  const ReadAll all = Read(path);
  EXPECT_EQ(all.end.code(), StatusCode::kParseError);
  EXPECT_NE(all.end.message().find("error log " + path + ":"), std::string::npos)
      << all.end.message();
  EXPECT_TRUE(all.entries.empty());
}

TEST(ErrorLogReaderTest, AGoDocumentOfTheWrongShapeNamesTheMember) {
  std::string text = kGoLog;
  text.replace(text.find("\"Token\": \"tok_9\""), 16, "\"Token\": 9");
  const ReadAll all = Read(WriteScratch("shape.json", text));
  EXPECT_NE(all.end.message().find("errors[1].records[0].Token must be a string"),
            std::string::npos)
      << all.end.message();
  text = kGoLog;
  text.replace(text.find("\"vault_name\": \"ID\","), 19, "");
  EXPECT_NE(Read(WriteScratch("shape.json", text)).end.message().find("vault_name is missing"),
            std::string::npos);
}

TEST(ErrorLogReaderTest, AGoDocumentOverTheLimitSaysSo) {
  ErrorLogReadOptions options;
  options.max_document_bytes = 100;
  const ReadAll all = Read(WriteScratch("big.json", kGoLog), options);
  EXPECT_EQ(all.end.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(all.end.message().find("is larger than"), std::string::npos) << all.end.message();
}

}  // namespace
}  // namespace skyflow
