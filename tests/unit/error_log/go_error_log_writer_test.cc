#include "error_log/go_error_log_writer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <string>
#include <vector>

#include "error_log/error_log_reader.h"
#include "error_log_test_files.h"

namespace skyflow {
namespace {

ErrorLogEntry Failure(const std::string& vault, uint64_t batch, int64_t status,
                      const std::string& value) {
  ErrorLogEntry entry;
  entry.time = "2026-11-24T10:00:0" + std::to_string(batch % 10) + "Z";
  entry.vault = vault;
  entry.vault_id = "v-" + vault;
  entry.table = "t";
  entry.column = "c";
  entry.stage = ErrorLogStage::kVault;
  entry.outcome = status == 409 ? ErrorLogOutcome::kConflict : ErrorLogOutcome::kFailed;
  entry.batch = batch;
  entry.status = status;
  entry.message = "failed with " + std::to_string(status);
  entry.value = value;
  entry.token = "tok-" + value;
  return entry;
}

ErrorLogEntry SourceReject(const std::string& vault) {
  ErrorLogEntry entry = Failure(vault, 0, 0, "rejected");
  entry.stage = ErrorLogStage::kSource;
  entry.outcome = ErrorLogOutcome::kRejected;
  entry.message = "empty token";
  entry.token.clear();
  return entry;
}

std::string WriteLines(const std::string& name, const std::vector<ErrorLogEntry>& entries) {
  std::string text;
  for (const ErrorLogEntry& entry : entries)
    AppendErrorLogLine(entry, &text);
  return WriteScratch(name, text);
}

std::vector<ErrorLogEntry> ReadBack(const std::string& path) {
  std::vector<ErrorLogEntry> entries;
  auto reader = ErrorLogReader::Open(path);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return entries;
  EXPECT_EQ((*reader)->format(), ErrorLogFormat::kGo);
  ErrorLogEntry entry;
  uint64_t line = 0;
  for (int guard = 0; guard < 10000; ++guard) {
    Result<bool> more = (*reader)->Next(&entry, &line);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    entries.push_back(entry);
  }
  return entries;
}

TEST(GoErrorLogWriterTest, WritesTheGoLayout) {
  const std::string jsonl = WriteLines(
      "layout.jsonl",
      {Failure("ID", 42, 500, "123"), Failure("ID", 42, 500, "124"), Failure("ID", 43, 0, "9")});
  const std::string json = ScratchPath("layout.json");
  std::remove(json.c_str());
  Result<GoErrorLogResult> result = WriteGoErrorLog(jsonl, json);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->written);
  EXPECT_EQ(result->records, 3u);
  EXPECT_EQ(result->errors, 2u);
  std::string text = ReadScratch(json);
  // The document's own timestamp is the time of writing.
  const size_t stamp = text.find("  \"timestamp\": \"");
  ASSERT_NE(stamp, std::string::npos);
  text.replace(stamp + 16, 20, "NOW");
  EXPECT_EQ(text, R"({
  "vault_name": "ID",
  "vault_id": "v-ID",
  "column": "c",
  "timestamp": "NOW",
  "total_errors": 2,
  "failed_records": 3,
  "errors": [
    {
      "batch_number": 42,
      "records": [
        {
          "Value": "123",
          "Token": "tok-123"
        },
        {
          "Value": "124",
          "Token": "tok-124"
        }
      ],
      "error": "failed with 500",
      "status_code": 500,
      "timestamp": "2026-11-24T10:00:02Z"
    },
    {
      "batch_number": 43,
      "records": [
        {
          "Value": "9",
          "Token": "tok-9"
        }
      ],
      "error": "failed with 0",
      "timestamp": "2026-11-24T10:00:03Z"
    }
  ]
}
)");
  struct stat info {};
  ASSERT_EQ(stat(json.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_NE(stat((json + ".tmp").c_str(), &info), 0) << "the temporary file is gone";
}

TEST(GoErrorLogWriterTest, TheReaderGivesBackTheSameRecordsOfTheVault) {
  std::vector<ErrorLogEntry> entries;
  for (uint64_t i = 0; i < 700; ++i) {
    const int64_t status = i < 300 ? 503 : (i < 650 ? 0 : 409);
    entries.push_back(Failure(i % 7 == 0 ? "NAME" : "SSN", 1 + i / 100, status,
                              "v" + std::to_string(i) + "\"\\\n\xC3\xA9"));
    if (i % 100 == 0) entries.push_back(SourceReject("SSN"));
  }
  const std::string jsonl = WriteLines("roundtrip.jsonl", entries);
  const std::string json = ScratchPath("roundtrip.json");
  Result<GoErrorLogResult> result =
      WriteGoErrorLog(jsonl, json, {.name = "ssn", .id = "", .column = ""});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->source_rejects, 7u);

  std::vector<ErrorLogEntry> expected;
  for (const ErrorLogEntry& entry : entries) {
    if (entry.vault == "SSN" && entry.stage == ErrorLogStage::kVault) expected.push_back(entry);
  }
  const std::vector<ErrorLogEntry> back = ReadBack(json);
  ASSERT_EQ(back.size(), expected.size());
  EXPECT_EQ(result->records, expected.size());
  for (size_t i = 0; i < back.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(back[i].vault, "SSN");
    EXPECT_EQ(back[i].vault_id, "v-SSN");
    EXPECT_EQ(back[i].value, expected[i].value);
    EXPECT_EQ(back[i].token, expected[i].token);
    EXPECT_EQ(back[i].batch, expected[i].batch);
    EXPECT_EQ(back[i].status, expected[i].status);
    EXPECT_EQ(back[i].outcome, expected[i].outcome);
    EXPECT_EQ(back[i].message, expected[i].message);
    EXPECT_EQ(back[i].time, expected[i].time);
  }
}

TEST(GoErrorLogWriterTest, WritesNothingWithoutVaultFailures) {
  const std::string json = ScratchPath("nothing.json");
  std::remove(json.c_str());
  Result<GoErrorLogResult> missing = WriteGoErrorLog(ScratchPath("no-such.jsonl"), json);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->written);
  Result<GoErrorLogResult> rejects_only =
      WriteGoErrorLog(WriteLines("rejects.jsonl", {SourceReject("SSN")}), json);
  ASSERT_TRUE(rejects_only.ok());
  EXPECT_FALSE(rejects_only->written);
  EXPECT_EQ(rejects_only->source_rejects, 1u);
  struct stat info {};
  EXPECT_NE(stat(json.c_str(), &info), 0);
}

TEST(GoErrorLogWriterTest, ALogOfSeveralVaultsNeedsAVaultNamed) {
  const std::string jsonl =
      WriteLines("two.jsonl", {Failure("ID", 1, 500, "1"), Failure("SSN", 1, 500, "2")});
  Result<GoErrorLogResult> result = WriteGoErrorLog(jsonl, ScratchPath("two.json"));
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find(jsonl + ":2 is of vault SSN"), std::string::npos)
      << result.status().message();
}

TEST(GoErrorLogWriterTest, FillsInTheIdAndColumnOlderLogsLack) {
  ErrorLogEntry entry = Failure("SSN", 1, 500, "1");
  entry.vault_id.clear();
  entry.column.clear();
  const std::string json = ScratchPath("filled.json");
  ASSERT_TRUE(WriteGoErrorLog(WriteLines("older.jsonl", {entry}), json,
                              {.name = "SSN", .id = "v1", .column = "ssn"})
                  .ok());
  const std::string text = ReadScratch(json);
  EXPECT_NE(text.find("\"vault_id\": \"v1\",\n  \"column\": \"ssn\""), std::string::npos) << text;
}

TEST(GoErrorLogWriterTest, NamesTheFileAsTheGoLoaderDoes) {
  std::tm local{};
  local.tm_year = 2025 - 1900;
  local.tm_mon = 9;
  local.tm_mday = 16;
  local.tm_hour = 14;
  local.tm_min = 30;
  local.tm_sec = 52;
  EXPECT_EQ(GoErrorLogFileName("NAME", local), "error_log_NAME_20251016_143052.json");
  EXPECT_EQ(GoErrorLogFileName("a/b", local), "error_log_a_b_20251016_143052.json");
}

}  // namespace
}  // namespace skyflow
