// Reprocessing an error log (-error-log): the loader and the emulator as
// processes. A load under injected server errors leaves records in its
// error log; reprocessing that log once the faults are gone must put every
// one of them in the vault. A hand-written Go loader log reprocesses the
// same way; logs that do not fit (another vault, torn, empty) and a run
// that cannot ask for confirmation stop before anything is sent.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <string>
#include <vector>

#include "harness/emulator_process.h"
#include "harness/http_request.h"
#include "harness/loader_config.h"
#include "harness/run_files.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"
#include "util/pair_digest.h"

namespace skyflow::testing {
namespace {

constexpr char kToken[] = "reprocess-test-token-8d21";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ReprocessTest : public ::testing::Test {
 protected:
  void StartEmulator(const std::vector<std::string>& extra = {}) {
    emulator_ = std::make_unique<EmulatorProcess>(dir_.path(), kToken, extra);
    ASSERT_TRUE(emulator_->ready());
    WriteFile(dir_.File("config.json"),
              LoaderConfigJson(emulator_->url(), dir_.File("data"),
                               {{"SSN", "v1", "ssn"}, {"NAME", "v2", "name"}},
                               R"("batch_size":50,"max_records":0)"));
  }

  // Each run keeps its files in `run_dir`.
  ProcessResult Loader(std::vector<std::string> args, const std::string& run_dir) {
    args.insert(args.begin(), {"-config", dir_.File("config.json"), "-summary-json",
                               dir_.File("summary.json"), "-run-dir", run_dir});
    return RunProcess(SKYFLOW_LOADER_PATH, args, dir_.path(), std::chrono::seconds(120),
                      {{"SKYFLOW_BEARER_TOKEN", kToken}});
  }

  // The SSN vault's CSV files: value-<i> with token tok-<i>.
  void WriteCsv(size_t count) {
    std::string data = "ssn\n";
    std::string tokens = "ssn_token\n";
    for (size_t i = 0; i < count; ++i) {
      data += "value-" + std::to_string(i) + "\n";
      tokens += "tok-" + std::to_string(i) + "\n";
    }
    std::filesystem::create_directories(dir_.File("data"));
    WriteFile(dir_.File("data/ssn_data.csv"), data);
    WriteFile(dir_.File("data/ssn_tokens.csv"), tokens);
  }

  uint64_t Summary(const char* field) {
    simdjson::dom::parser parser;
    uint64_t value = 0;
    const std::string text = ReadFile(dir_.File("summary.json"));
    EXPECT_FALSE(parser.parse(text)[field].get_uint64().get(value)) << field << " in " << text;
    return value;
  }

  TableStats Stored(const std::string& key) {
    const auto stats = emulator_->Stats();
    const auto table = stats.find(key);
    return table == stats.end() ? TableStats{} : table->second;
  }

  uint64_t RequestsSoFar() { return emulator_->StatsCounter("requests", "total"); }

  TempDir dir_;
  std::unique_ptr<EmulatorProcess> emulator_;
};

TEST_F(ReprocessTest, RecordsThatFailedUnderServerErrorsAllLandWhenTheLogIsReprocessed) {
  StartEmulator({"--fault-500", "0.3", "--seed", "7"});
  constexpr size_t kCount = 2000;
  WriteCsv(kCount);
  const ProcessResult first = Loader({"-vault", "SSN", "-max-attempts", "1"}, dir_.File("first"));
  ASSERT_EQ(first.exit_code, 1) << first.out << first.err;
  const uint64_t failed = Summary("failed");
  ASSERT_GT(failed, 0u) << "the fault plan must have failed some batches";
  ASSERT_LT(failed, kCount);
  ASSERT_EQ(Stored("v1/ssn").records, kCount - failed);

  ASSERT_EQ(HttpCall("DELETE", emulator_->url() + "/emulator/v1/faults", "", kToken).status, 200);
  const std::vector<std::string> first_logs = ErrorLogPaths(dir_.File("first"));
  ASSERT_EQ(first_logs.size(), 1u);
  const std::string first_log = first_logs.front();
  const ProcessResult second = Loader({"-error-log", first_log, "-yes"}, dir_.File("second"));
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_TRUE(Contains(second.out, "ERROR LOG ANALYSIS")) << second.out;
  EXPECT_TRUE(Contains(second.out, "Failed Records: " + std::to_string(failed))) << second.out;
  EXPECT_TRUE(Contains(second.out, "HTTP 500 (Server Error)")) << second.out;
  EXPECT_FALSE(Contains(second.out, "\xF0\x9F")) << "no emoji when stdout is not a terminal";
  EXPECT_EQ(Summary("loaded"), failed);
  EXPECT_TRUE(ErrorLogPaths(dir_.File("second")).empty()) << "nothing failed again";

  // The expected content comes from the values the test wrote, not from
  // the loader's parsers.
  PairDigest expected;
  for (size_t i = 0; i < kCount; ++i)
    expected.Add("value-" + std::to_string(i), "tok-" + std::to_string(i));
  const TableStats stored = Stored("v1/ssn");
  EXPECT_EQ(stored.records, kCount);
  EXPECT_EQ(stored.digest, expected.Hex());
}

TEST_F(ReprocessTest, AGoLoaderLogIsReprocessedAndWhatCannotChangeIsLeftOut) {
  StartEmulator();
  WriteFile(dir_.File("error_log_SSN_20251016_143052.json"), R"({
  "vault_name": "ssn",
  "vault_id": "v-old",
  "column": "ssn",
  "timestamp": "2025-10-16T14:30:52Z",
  "total_errors": 3,
  "failed_records": 5,
  "errors": [
    {
      "batch_number": 42,
      "records": [
        {"Value": "111-11-1111", "Token": "tok-a"},
        {"Value": "222-22-2222", "Token": "tok-b"}
      ],
      "error": "API request failed with status 503 after 3 retries",
      "status_code": 503,
      "timestamp": "2025-10-16T14:30:12Z"
    },
    {
      "batch_number": 43,
      "records": [{"Value": "333-33-3333", "Token": "tok-c"}],
      "error": "Post \"https://vault\": connection reset by peer",
      "timestamp": "2025-10-16T14:30:13Z"
    },
    {
      "batch_number": 44,
      "records": [
        {"Value": "444-44-4444", "Token": "tok-d"},
        {"Value": "555-55-5555", "Token": "tok-e"}
      ],
      "error": "API request failed with status 400",
      "status_code": 400,
      "timestamp": "2025-10-16T14:30:14Z"
    }
  ]
}
)");
  const ProcessResult result = Loader(
      {"-error-log", dir_.File("error_log_SSN_20251016_143052.json"), "-yes"}, dir_.File("run"));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(Contains(result.err, "v-old")) << result.err;
  EXPECT_TRUE(Contains(result.err, "configuration says v1")) << result.err;
  EXPECT_TRUE(Contains(result.out, "(Go loader format)")) << result.out;
  EXPECT_TRUE(Contains(result.out, "HTTP 4xx (record refused): 2 records")) << result.out;
  EXPECT_TRUE(Contains(result.out, "Records to Resend: 3")) << result.out;
  PairDigest expected;
  expected.Add("111-11-1111", "tok-a");
  expected.Add("222-22-2222", "tok-b");
  expected.Add("333-33-3333", "tok-c");
  const TableStats stored = Stored("v1/ssn");
  EXPECT_EQ(stored.records, 3u);
  EXPECT_EQ(stored.digest, expected.Hex());
}

TEST_F(ReprocessTest, LogsThatDoNotFitStopBeforeAnythingIsSent) {
  StartEmulator();
  std::string name_line =
      R"({"time":"2026-11-24T10:00:00Z","vault":"NAME","vault_id":"v2","table":"name",)"
      R"("column":"name","stage":"vault","outcome":"failed","origin":"data/name_data.csv:2",)"
      R"("sequence":0,"batch":1,"status":503,"message":"HTTP 503","request_id":"",)"
      R"("attempts":5,"value":"Ann","token":"tok-ann"})"
      "\n";
  WriteFile(dir_.File("name.jsonl"), name_line);
  WriteFile(dir_.File("torn.jsonl"), name_line + name_line.substr(0, name_line.size() / 2));
  WriteFile(dir_.File("empty.jsonl"), "");
  const uint64_t before = RequestsSoFar();

  const ProcessResult other =
      Loader({"-error-log", dir_.File("name.jsonl"), "-vault", "ssn", "-yes"}, dir_.File("r"));
  EXPECT_EQ(other.exit_code, 2) << other.out << other.err;
  EXPECT_TRUE(Contains(other.err, "-vault SSN names another vault than error log")) << other.err;
  EXPECT_TRUE(Contains(other.err, "holds records of vault NAME")) << other.err;

  const ProcessResult torn =
      Loader({"-error-log", dir_.File("torn.jsonl"), "-yes"}, dir_.File("r"));
  EXPECT_EQ(torn.exit_code, 2) << torn.out << torn.err;
  EXPECT_TRUE(Contains(torn.err, "torn.jsonl:2: the last line is cut short")) << torn.err;
  EXPECT_TRUE(Contains(torn.err, "-error-log-skip-torn")) << torn.err;

  const ProcessResult empty =
      Loader({"-error-log", dir_.File("empty.jsonl"), "-yes"}, dir_.File("r"));
  EXPECT_EQ(empty.exit_code, 2) << empty.out << empty.err;
  EXPECT_TRUE(Contains(empty.err, "holds no failed records: nothing to reprocess")) << empty.err;

  // Each stats request counts itself once answered.
  EXPECT_EQ(RequestsSoFar() - before - 1, 0u);
  EXPECT_TRUE(ErrorLogPaths(dir_.File("r")).empty());

  // With -error-log-skip-torn, the complete line is reprocessed.
  const ProcessResult skipped = Loader(
      {"-error-log", dir_.File("torn.jsonl"), "-error-log-skip-torn", "-yes"}, dir_.File("r"));
  EXPECT_EQ(skipped.exit_code, 0) << skipped.out << skipped.err;
  EXPECT_TRUE(Contains(skipped.err, "torn.jsonl:2: the last line is cut short")) << skipped.err;
  EXPECT_TRUE(Contains(skipped.out, "Torn last line: line 2")) << skipped.out;
  EXPECT_EQ(Stored("v2/name").records, 1u);
}

TEST_F(ReprocessTest, WithoutATerminalOrYesRefusesAndSendsNothing) {
  StartEmulator();
  WriteFile(dir_.File("log.jsonl"),
            R"({"vault":"SSN","stage":"vault","outcome":"failed","sequence":0,"status":0,)"
            R"("message":"connection reset","value":"v","token":"t"})"
            "\n");
  const uint64_t before = RequestsSoFar();
  const ProcessResult refused = Loader({"-error-log", dir_.File("log.jsonl")}, dir_.File("r"));
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_TRUE(Contains(refused.out, "ERROR LOG ANALYSIS")) << refused.out;
  EXPECT_TRUE(Contains(refused.err, "not a terminal")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "pass -yes")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "nothing was sent")) << refused.err;
  EXPECT_EQ(RequestsSoFar() - before - 1, 0u);
  EXPECT_EQ(Stored("v1/ssn").records, 0u);
}

TEST_F(ReprocessTest, GoFormatErrorLogIsWrittenInTheRunDirectory) {
  StartEmulator({"--fault-500", "1", "--seed", "3"});
  WriteCsv(120);
  const ProcessResult result =
      Loader({"-vault", "SSN", "-max-attempts", "1", "-error-log-format", "go"}, dir_.File("run"));
  ASSERT_EQ(result.exit_code, 1) << result.out << result.err;
  std::string go_log;
  for (const auto& file : std::filesystem::directory_iterator(dir_.File("run"))) {
    const std::string name = file.path().filename().string();
    if (name.starts_with("error_log_SSN_") && name.ends_with(".json")) go_log = file.path();
  }
  ASSERT_FALSE(go_log.empty()) << result.err;
  EXPECT_TRUE(Contains(result.err, "Go error log of vault SSN: " + go_log + " (120 records)"))
      << result.err;
  EXPECT_EQ(std::filesystem::status(go_log).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  simdjson::dom::parser parser;
  const std::string text = ReadFile(go_log);
  simdjson::dom::element root;
  ASSERT_FALSE(parser.parse(text).get(root)) << text;
  EXPECT_EQ(std::string_view(root["vault_name"]), "SSN");
  EXPECT_EQ(std::string_view(root["vault_id"]), "v1");
  EXPECT_EQ(uint64_t(root["failed_records"]), 120u);
  EXPECT_EQ(uint64_t(root["errors"].at(0)["status_code"]), 500u);
  EXPECT_TRUE(Contains(text, "\n  \"errors\": [\n    {\n      \"batch_number\": ")) << text;

  // The Go log reprocesses like any other.
  ASSERT_EQ(HttpCall("DELETE", emulator_->url() + "/emulator/v1/faults", "", kToken).status, 200);
  const ProcessResult again = Loader({"-error-log", go_log, "-yes"}, dir_.File("again"));
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(Stored("v1/ssn").records, 120u);
}

}  // namespace
}  // namespace skyflow::testing
