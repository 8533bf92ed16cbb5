// Every record exactly once, or listed with its true reason: the loader and
// the emulator as processes, under rate limits, lost answers, real
// conflicts and poisoned records.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
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

constexpr char kToken[] = "exactly-once-test-token-51c2";

class ExactlyOnceTest : public ::testing::Test {
 protected:
  void StartEmulator(const std::vector<std::string>& extra, int batch_size = 100) {
    emulator_ = std::make_unique<EmulatorProcess>(dir_.path(), kToken, extra);
    ASSERT_TRUE(emulator_->ready());
    WriteFile(
        dir_.File("config.json"),
        LoaderConfigJson(emulator_->url(), dir_.File("data"), {{"SSN", "v1", "ssn"}},
                         R"("batch_size":)" + std::to_string(batch_size) + R"(,"max_records":0)"));
  }

  ProcessResult Loader(std::vector<std::string> args) {
    args.insert(args.begin(), {"-config", dir_.File("config.json"), "-vault", "SSN",
                               "-summary-json", summary(), "-run-dir", NextRunDirectory()});
    return RunProcess(SKYFLOW_LOADER_PATH, args, dir_.path(), std::chrono::seconds(120),
                      {{"SKYFLOW_BEARER_TOKEN", kToken}});
  }

  // Writes the SSN vault's two CSV files from `values` (tokens tok-<i>).
  void WriteCsv(const std::vector<std::string>& values) {
    std::string data = "ssn\n";
    std::string tokens = "ssn_token\n";
    for (size_t i = 0; i < values.size(); ++i) {
      data += values[i] + "\n";
      tokens += "tok-" + std::to_string(i) + "\n";
    }
    std::filesystem::create_directories(dir_.File("data"));
    WriteFile(dir_.File("data/ssn_data.csv"), data);
    WriteFile(dir_.File("data/ssn_tokens.csv"), tokens);
  }

  static std::vector<std::string> Values(size_t count) {
    std::vector<std::string> values;
    for (size_t i = 0; i < count; ++i)
      values.push_back("value-" + std::to_string(i));
    return values;
  }

  uint64_t Summary(const char* field) {
    simdjson::dom::parser parser;
    uint64_t value = 0;
    const std::string text = ReadFile(summary());
    EXPECT_FALSE(parser.parse(text)[field].get_uint64().get(value)) << field << " in " << text;
    return value;
  }

  // The error logs of the last run.
  size_t RejectLines() { return ErrorLogLines(run_dir_); }
  std::string rejects() const { return ReadErrorLogs(run_dir_); }

  // Each run gets a directory of its own.
  std::string NextRunDirectory() {
    run_dir_ = dir_.File("run-" + std::to_string(++runs_));
    return run_dir_;
  }

  std::string summary() const { return dir_.File("summary.json"); }

  TempDir dir_;
  std::unique_ptr<EmulatorProcess> emulator_;
  std::string run_dir_;
  int runs_ = 0;
};

TEST_F(ExactlyOnceTest, LostAnswersResetsAndThrottlingStoreEveryRecordOnce) {
  StartEmulator({"--fault-drop-after-commit", "0.04", "--fault-reset", "0.03", "--fault-503",
                 "0.05", "--fault-429", "0.03", "--retry-after", "0", "--seed", "11"});
  const std::vector<std::string> values = Values(6000);
  WriteCsv(values);
  const ProcessResult result =
      Loader({"-retry-base-delay-ms", "5", "-retry-max-delay-ms", "50", "-max-attempts", "10"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto stats = emulator_->Stats();
  // The expected digest comes from the values written, not from reading
  // the files back through the loader's own parser.
  PairDigest expected;
  for (size_t i = 0; i < values.size(); ++i)
    expected.Add(values[i], "tok-" + std::to_string(i));
  EXPECT_EQ(stats.at("v1/ssn").records, 6000u);
  EXPECT_EQ(stats.at("v1/ssn").digest, expected.Hex());
  const uint64_t drops = emulator_->StatsCounter("faults", "drop_after_commit");
  ASSERT_GT(drops, 0u) << "the fault plan must have dropped some answers";
  // A dropped answer to an insert hid one stored batch of 100, found again
  // when it was resent; a dropped answer to a lookup costs nothing but a
  // resend of the lookup. The first drop is an insert's: lookups only follow
  // conflicts.
  const uint64_t present = Summary("already_present");
  EXPECT_EQ(present % 100, 0u);
  EXPECT_GE(present, 100u);
  EXPECT_LE(present, drops * 100);
  EXPECT_EQ(Summary("loaded") + Summary("already_present"), 6000u);
  EXPECT_EQ(Summary("conflicts"), 0u);
  EXPECT_EQ(Summary("failed"), 0u);
  EXPECT_EQ(RejectLines(), 0u);
}

TEST_F(ExactlyOnceTest, ATokenAlreadyHeldByAnotherValueIsTheOnlyRecordRejected) {
  StartEmulator({});
  WriteCsv(Values(1000));
  const HttpAnswer pre = HttpPost(
      emulator_->url() + "/v1/vaults/v1/ssn",
      R"({"records":[{"fields":{"ssn":"someone-else"},"tokens":{"ssn":"tok-421"}}],"byot":"ENABLE"})",
      kToken);
  ASSERT_EQ(pre.status, 200) << pre.body;
  const ProcessResult result = Loader({});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_EQ(Summary("loaded"), 999u);
  EXPECT_EQ(Summary("conflicts"), 1u);
  EXPECT_EQ(emulator_->Stats().at("v1/ssn").records, 1000u);  // 999 and the other one
  ASSERT_EQ(RejectLines(), 1u);
  const std::string line = rejects();
  EXPECT_NE(line.find(R"("token":"tok-421")"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("outcome":"conflict")"), std::string::npos) << line;
  EXPECT_NE(line.find("ssn_data.csv:423"), std::string::npos) << line;
  EXPECT_NE(line.find("another value"), std::string::npos) << line;
}

TEST_F(ExactlyOnceTest, OneValueOverTheColumnLimitCostsOneRecord) {
  WriteFile(
      dir_.File("schema.json"),
      R"({"vaults":[{"id":"v1","tables":[{"name":"ssn","columns":[{"name":"ssn","unique":true}]}]}]})");
  StartEmulator({"--schema", dir_.File("schema.json")}, 300);
  std::vector<std::string> values = Values(300);
  values[77] = std::string(2600, 'x');
  WriteCsv(values);
  const ProcessResult result = Loader({});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_EQ(Summary("loaded"), 299u);
  EXPECT_EQ(Summary("failed"), 1u);
  EXPECT_EQ(emulator_->Stats().at("v1/ssn").records, 299u);
  ASSERT_EQ(RejectLines(), 1u);
  const std::string line = rejects();
  EXPECT_NE(line.find(R"("token":"tok-77")"), std::string::npos);
  EXPECT_NE(line.find(R"("status":400)"), std::string::npos) << line;
}

TEST_F(ExactlyOnceTest, BatchEndpointAnswersPerRecord) {
  StartEmulator({});
  WriteCsv(Values(1000));
  ASSERT_EQ(
      HttpPost(emulator_->url() + "/v1/vaults/v1/ssn",
               R"({"records":[{"fields":{"ssn":"x"},"tokens":{"ssn":"tok-5"}}],"byot":"ENABLE"})",
               kToken)
          .status,
      200);
  const ProcessResult result = Loader({"-api", "batch"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_EQ(Summary("loaded"), 999u);
  EXPECT_EQ(Summary("conflicts"), 1u);
  // One request per batch of 100, plus the lookups of one conflict.
  EXPECT_LE(Summary("requests") - Summary("lookups"), 10u);
}

TEST_F(ExactlyOnceTest, ARateLimitCostsNoRecordAtAnyConcurrency) {
  StartEmulator({"--rate-limit-records", "40000", "--latency-ms", "20"}, 300);
  WriteCsv(Values(120000));
  for (const char* mode : {"adaptive", "fixed"}) {
    SCOPED_TRACE(mode);
    HttpCall("DELETE", emulator_->url() + "/v1/vaults/v1/ssn", R"({"skyflow_ids":["*"]})", kToken);
    const ProcessResult result = Loader({"-concurrency-mode", mode, "-concurrency", "256"});
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_EQ(Summary("loaded"), 120000u);
    EXPECT_EQ(Summary("failed"), 0u);
    EXPECT_EQ(emulator_->Stats().at("v1/ssn").records, 120000u);
  }
}

}  // namespace
}  // namespace skyflow::testing
