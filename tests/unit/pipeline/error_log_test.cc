#include "pipeline/error_log.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace skyflow {
namespace {

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/error_log_test_" + std::to_string(::getpid()) + "_" + name;
}

ErrorLogVault Vault(const std::string& name, const std::string& origin_label = "a.csv") {
  return ErrorLogVault{name, name + "_id", name + "_table", "col", origin_label};
}

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

TEST(ErrorLogTest, CreatesNothingUntilThereIsSomethingToSay) {
  const std::string path = TempPath("lazy.jsonl");
  std::remove(path.c_str());
  {
    ErrorLog log(path, Vault("NAME"));
    ASSERT_TRUE(log.AppendSourceRejects({}).ok());
  }
  struct stat info {};
  EXPECT_NE(stat(path.c_str(), &info), 0);
}

TEST(ErrorLogTest, WritesOneJsonLinePerRecordWithOwnerOnlyPermissions) {
  const std::string path = TempPath("lines.jsonl");
  std::remove(path.c_str());
  ErrorLog log(path, Vault("SSN"));
  ASSERT_TRUE(
      log.AppendSourceRejects({{4, "data/name_data.csv:6", "empty token", "Ann", ""}}).ok());
  SettledRecords settled;
  settled.fate = RecordFate::kConflict;
  settled.batch = 12;
  settled.records = {{7, 9, "1\"2", "t"}, {8, 10, "3", "u"}};
  settled.reason = "HTTP 409: taken";
  settled.http_status = 409;
  settled.request_id = "req-9";
  settled.attempts = 1;
  ASSERT_TRUE(log.AppendVaultFailure(settled).ok());
  EXPECT_EQ(log.lines_written(), 3u);

  struct stat info {};
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  const auto lines = Lines(path);
  ASSERT_EQ(lines.size(), 3u);
  simdjson::dom::parser parser;
  auto first = parser.parse(lines[0]);
  EXPECT_EQ(std::string_view(first["origin"].get_string().value_unsafe()), "data/name_data.csv:6");
  EXPECT_EQ(std::string_view(first["message"].get_string().value_unsafe()), "empty token");
  EXPECT_EQ(std::string_view(first["stage"].get_string().value_unsafe()), "source");
  EXPECT_EQ(std::string_view(first["outcome"].get_string().value_unsafe()), "rejected");
  EXPECT_EQ(std::string_view(first["vault"].get_string().value_unsafe()), "SSN");
  EXPECT_EQ(std::string_view(first["vault_id"].get_string().value_unsafe()), "SSN_id");
  EXPECT_EQ(std::string_view(first["table"].get_string().value_unsafe()), "SSN_table");
  EXPECT_EQ(first["sequence"].get_uint64().value_unsafe(), 4u);
  auto second = parser.parse(lines[1]);
  EXPECT_EQ(std::string_view(second["value"].get_string().value_unsafe()), "1\"2");
  EXPECT_EQ(second["status"].get_int64().value_unsafe(), 409);
  EXPECT_EQ(std::string_view(second["request_id"].get_string().value_unsafe()), "req-9");
  EXPECT_EQ(second["batch"].get_uint64().value_unsafe(), 12u);
  EXPECT_EQ(std::string_view(second["origin"].get_string().value_unsafe()), "a.csv:9");
  EXPECT_EQ(std::string_view(second["outcome"].get_string().value_unsafe()), "conflict");
  std::remove(path.c_str());
}

TEST(ErrorLogTest, TextThatIsNotUtf8StaysJsonAndKeepsItsBytes) {
  const std::string path = TempPath("latin1.jsonl");
  std::remove(path.c_str());
  ErrorLog log(path, Vault("NAME"));
  ASSERT_TRUE(
      log.AppendSourceRejects({{0, "a.csv:2", "value is not valid UTF-8", "Jos\xe9", "t1"}}).ok());
  const auto lines = Lines(path);
  ASSERT_EQ(lines.size(), 1u);
  simdjson::dom::parser parser;
  simdjson::dom::element line;
  ASSERT_FALSE(parser.parse(lines[0]).get(line)) << lines[0];
  EXPECT_EQ(std::string_view(line["value"].get_string().value_unsafe()), "Jos\xEF\xBF\xBD");
  EXPECT_EQ(std::string_view(line["value_hex"].get_string().value_unsafe()), "4a6f73e9");
  EXPECT_EQ(std::string_view(line["token"].get_string().value_unsafe()), "t1");
  EXPECT_TRUE(line["token_hex"].error()) << "only text that needs it gets a hex copy";
  std::remove(path.c_str());
}

TEST(ErrorLogTest, UnwritablePathIsAClearError) {
  ErrorLog log("/nonexistent-dir/errors.jsonl", Vault("NAME"));
  const Status status = log.AppendSourceRejects({{0, "x:2", "empty value", "", "t"}});
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("/nonexistent-dir/errors.jsonl"), std::string::npos);
  EXPECT_NE(status.message().find("-run-dir"), std::string::npos);
}

TEST(ErrorLogTest, TrimKeepsTheRowsBeforeTheCheckpointAndDropsATornLine) {
  const std::string path = TempPath("trim.jsonl");
  std::remove(path.c_str());
  {
    ErrorLog log(path, Vault("NAME"));
    ASSERT_TRUE(log.AppendSourceRejects({{9, "a.csv:11", "empty value", "", "t9"},
                                         {2, "a.csv:4", "empty value", "", "t2"},
                                         {5, "a.csv:7", "empty value", "", "t5"}})
                    .ok());
  }
  {
    std::ofstream torn(path, std::ios::app);
    torn << R"({"time":"2026-11-24T10:00:00Z","vault":"NAME","sequen)";
  }
  Result<uint64_t> kept = TrimErrorLog(path, 5);
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  EXPECT_EQ(*kept, 1u);
  const auto lines = Lines(path);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("\"t2\""), std::string::npos);
  struct stat info {};
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  std::remove(path.c_str());
}

TEST(ErrorLogTest, TrimOfAMissingLogIsNothingToDo) {
  Result<uint64_t> kept = TrimErrorLog(TempPath("never-written.jsonl"), 100);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(*kept, 0u);
}

}  // namespace
}  // namespace skyflow
