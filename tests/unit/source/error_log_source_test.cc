#include "source/error_log_source.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

namespace skyflow {
namespace {

std::string WriteLog(const std::string& name, const std::vector<ErrorLogEntry>& entries) {
  const std::string path =
      ::testing::TempDir() + "/error_log_source_test_" + std::to_string(::getpid()) + "_" + name;
  std::string text;
  for (const ErrorLogEntry& entry : entries)
    AppendErrorLogLine(entry, &text);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path;
}

ErrorLogEntry Entry(const std::string& vault, int64_t status, const std::string& value,
                    const std::string& token) {
  ErrorLogEntry entry;
  entry.vault = vault;
  entry.stage = ErrorLogStage::kVault;
  entry.outcome = status == 409 ? ErrorLogOutcome::kConflict : ErrorLogOutcome::kFailed;
  entry.status = status;
  entry.message = "HTTP " + std::to_string(status);
  entry.value = value;
  entry.token = token;
  return entry;
}

ErrorLogEntry Rejected(const std::string& value, const std::string& token) {
  ErrorLogEntry entry = Entry("SSN", 0, value, token);
  entry.stage = ErrorLogStage::kSource;
  entry.outcome = ErrorLogOutcome::kRejected;
  entry.message = "empty token";
  return entry;
}

struct Drained {
  std::vector<Record> records;
  std::vector<RejectedRow> rejected;
  Status end;
};

Drained Drain(ErrorLogSource& source, size_t max_rows) {
  Drained drained;
  SourceChunk chunk;
  for (int guard = 0; guard < 1000; ++guard) {
    chunk.Clear();
    drained.end = source.Next(max_rows, &chunk);
    if (!drained.end.ok()) break;
    EXPECT_LE(chunk.rows(), max_rows);
    for (Record& record : chunk.records)
      drained.records.push_back(record);
    for (RejectedRow& row : chunk.rejected)
      drained.rejected.push_back(row);
    if (chunk.end_of_input) break;
  }
  return drained;
}

TEST(ErrorLogSourceTest, YieldsTheVaultsRecordsThatTheRulesResend) {
  const std::string path =
      WriteLog("select.jsonl",
               {Entry("SSN", 503, "a", "ta"), Entry("NAME", 503, "b", "tb"),
                Entry("ssn", 0, "c", "tc"), Entry("SSN", 400, "d", "td"),
                Entry("SSN", 409, "e", "te"), Rejected("f", ""), Entry("SSN", 500, "g", "tg")});
  ErrorLogSourceOptions options;
  options.path = path;
  options.vault = "SSN";
  auto source = ErrorLogSource::Open(options);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->Describe(), "error log " + path);
  EXPECT_EQ((*source)->OriginLabel(), path);
  const Drained drained = Drain(**source, 2);
  ASSERT_TRUE(drained.end.ok()) << drained.end.ToString();
  EXPECT_TRUE(drained.rejected.empty());
  ASSERT_EQ(drained.records.size(), 3u);
  EXPECT_EQ(drained.records[0].value, "a");
  EXPECT_EQ(drained.records[0].sequence, 0u);
  EXPECT_EQ(drained.records[0].origin_line, 1u);
  EXPECT_EQ(drained.records[1].value, "c");
  EXPECT_EQ(drained.records[1].sequence, 2u) << "the position in the log";
  EXPECT_EQ(drained.records[1].origin_line, 3u);
  EXPECT_EQ(drained.records[2].token, "tg");
  EXPECT_EQ(drained.records[2].origin_line, 7u);
}

TEST(ErrorLogSourceTest, UpsertAndAllWidenItAndUnsendableRowsAreRejected) {
  const std::string path = WriteLog(
      "all.jsonl", {Entry("SSN", 409, "e", "te"), Rejected("f", ""), Entry("SSN", 400, "d", "td")});
  ErrorLogSourceOptions options;
  options.path = path;
  options.vault = "SSN";
  options.selection.upsert = true;
  Drained drained = Drain(**ErrorLogSource::Open(options), 10);
  ASSERT_EQ(drained.records.size(), 1u);
  EXPECT_EQ(drained.records[0].value, "e");

  options.selection.everything = true;
  drained = Drain(**ErrorLogSource::Open(options), 10);
  ASSERT_EQ(drained.records.size(), 2u);
  ASSERT_EQ(drained.rejected.size(), 1u);
  EXPECT_EQ(drained.rejected[0].reason, "empty token");
  EXPECT_EQ(drained.rejected[0].origin, path + ":2");
  EXPECT_EQ(drained.rejected[0].sequence, 1u);
}

TEST(ErrorLogSourceTest, AReaderErrorEndsTheSourceAfterTheRowsBeforeIt) {
  std::string path = WriteLog("broken.jsonl", {Entry("SSN", 503, "a", "ta")});
  std::ofstream(path, std::ios::app) << "{\"vault\":\"SSN\"}\n";
  ErrorLogSourceOptions options;
  options.path = path;
  options.vault = "SSN";
  auto source = ErrorLogSource::Open(options);
  ASSERT_TRUE(source.ok());
  SourceChunk chunk;
  EXPECT_TRUE((*source)->Next(10, &chunk).ok());
  EXPECT_EQ(chunk.records.size(), 1u);
  chunk.Clear();
  const Status end = (*source)->Next(10, &chunk);
  EXPECT_EQ(end.code(), StatusCode::kParseError);
  EXPECT_NE(end.message().find(path + ":2:"), std::string::npos) << end.message();
  chunk.Clear();
  EXPECT_EQ((*source)->Next(10, &chunk).message(), end.message());
}

}  // namespace
}  // namespace skyflow
