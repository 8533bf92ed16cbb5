// End-to-end: the loader and the vault emulator as separate processes over
// loopback TCP. Each test checks outcomes: what the emulator stores (counts
// and digests), exit codes, summaries and reject files.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "harness/emulator_process.h"
#include "harness/expected_pairs.h"
#include "harness/loader_config.h"
#include "harness/run_files.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"
#include "util/pair_digest.h"

namespace skyflow::testing {
namespace {

using std::chrono::seconds;

constexpr char kToken[] = "integration-test-token-7f3a";

using Vault = TestVault;
const std::vector<Vault> kVaults = {{"NAME", "vault_name", "name"},
                                    {"ID", "vault_id", "id"},
                                    {"DOB", "vault_dob", "dob"},
                                    {"SSN", "vault_ssn", "ssn"}};

std::string ConfigJson(const std::string& url, const std::string& data_dir,
                       const std::vector<Vault>& vaults = kVaults) {
  return LoaderConfigJson(url, data_dir, vaults,
                          R"("batch_size":100,"max_concurrency":8,"max_records":0)");
}

class LoadTest : public ::testing::Test {
 protected:
  void StartEmulator(const std::vector<std::string>& extra = {}) {
    emulator_ = std::make_unique<EmulatorProcess>(dir_.path(), kToken, extra);
    ASSERT_TRUE(emulator_->ready());
    WriteFile(config_path(), ConfigJson(emulator_->url(), data_dir()));
  }

  ProcessResult Loader(std::vector<std::string> args, const std::string& token = kToken,
                       seconds deadline = seconds(120)) {
    args.insert(args.begin(), {"-config", config_path()});
    std::map<std::string, std::string> env;
    if (!token.empty()) env["SKYFLOW_BEARER_TOKEN"] = token;
    return RunProcess(SKYFLOW_LOADER_PATH, args, dir_.path(), deadline, env);
  }

  void Generate(int count) {
    const ProcessResult result = Loader({"-generate", std::to_string(count)}, "");
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }

  std::string config_path() const { return dir_.File("config.json"); }
  std::string data_dir() const { return dir_.File("data"); }

  // A field of the loader's -summary-json output.
  uint64_t SummaryCount(const std::string& path, const char* field) {
    simdjson::dom::parser parser;
    uint64_t value = 0;
    const std::string text = ReadFile(path);
    EXPECT_FALSE(parser.parse(text)[field].get_uint64().get(value)) << field << " in " << text;
    return value;
  }

  TempDir dir_;
  std::unique_ptr<EmulatorProcess> emulator_;
};

TEST_F(LoadTest, GeneratedDataArrivesExactlyOnceWithMatchingDigests) {
  StartEmulator();
  Generate(3000);
  const std::string summary = dir_.File("summary.json");
  const ProcessResult result = Loader({"-source", "csv", "-summary-json", summary});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("RESULT: complete"), std::string::npos) << result.out;

  const auto stats = emulator_->Stats();
  for (const Vault& vault : kVaults) {
    const ExpectedPairs expected = ExpectedPairsFromCsv(data_dir(), vault.name, vault.column);
    ASSERT_EQ(expected.records, 3000u);
    const auto table = stats.find(vault.id + "/" + vault.column);
    ASSERT_NE(table, stats.end()) << vault.name;
    EXPECT_EQ(table->second.records, expected.records) << vault.name;
    EXPECT_EQ(table->second.digest, expected.digest) << vault.name;
  }
  EXPECT_EQ(SummaryCount(summary, "loaded"), 12000u);
  EXPECT_EQ(SummaryCount(summary, "failed"), 0u);
}

TEST_F(LoadTest, RerunFindsEveryRecordAlreadyPresentAndUpsertLoadsThemAgain) {
  StartEmulator();
  Generate(500);
  ASSERT_EQ(Loader({}).exit_code, 0);
  const auto before = emulator_->Stats();

  // The vault refuses every batch as a conflict; looking the records up
  // shows the very same pairs stored: nothing is lost, nothing to reject.
  const std::string again = dir_.File("again.json");
  const ProcessResult rerun = Loader({"-summary-json", again, "-run-dir", dir_.File("again-run")});
  EXPECT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  EXPECT_EQ(SummaryCount(again, "loaded"), 0u);
  EXPECT_EQ(SummaryCount(again, "already_present"), 2000u);
  EXPECT_EQ(SummaryCount(again, "conflicts"), 0u);
  EXPECT_GT(SummaryCount(again, "lookups"), 0u);
  EXPECT_NE(rerun.out.find("Already present:       500"), std::string::npos) << rerun.out;
  EXPECT_FALSE(std::filesystem::exists(dir_.File("r.jsonl")));
  const auto after_conflicts = emulator_->Stats();
  for (const Vault& vault : kVaults) {
    const std::string key = vault.id + "/" + vault.column;
    EXPECT_EQ(after_conflicts.at(key).records, 500u);
    EXPECT_EQ(after_conflicts.at(key).digest, before.at(key).digest);
  }

  const std::string upserted = dir_.File("upsert.json");
  const ProcessResult upsert = Loader({"-upsert", "-summary-json", upserted});
  EXPECT_EQ(upsert.exit_code, 0) << upsert.out << upsert.err;
  EXPECT_EQ(SummaryCount(upserted, "loaded"), 2000u);
  const auto after_upsert = emulator_->Stats();
  for (const Vault& vault : kVaults) {
    const std::string key = vault.id + "/" + vault.column;
    EXPECT_EQ(after_upsert.at(key).records, 500u);
    EXPECT_EQ(after_upsert.at(key).digest, before.at(key).digest);
  }
}

TEST_F(LoadTest, WrongBearerTokenFailsFastWithAClearError) {
  StartEmulator();
  Generate(5000);
  const std::string summary = dir_.File("summary.json");
  const auto start = std::chrono::steady_clock::now();
  const ProcessResult result =
      Loader({"-summary-json", summary}, "not-the-right-token-but-long-enough");
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("rejected the credentials"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("HTTP 401"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("not-the-right-token"), std::string::npos) << "secret leaked";
  EXPECT_EQ(result.out.find("not-the-right-token"), std::string::npos) << "secret leaked";
  // It stops at the first answers instead of sending all 200 batches.
  EXPECT_LE(SummaryCount(summary, "requests"), 4u * 8u);
  EXPECT_EQ(SummaryCount(summary, "loaded"), 0u);
  EXPECT_LT(took, seconds(30));
  for (const auto& [table, stats] : emulator_->Stats())
    EXPECT_EQ(stats.records, 0u) << table;
}

TEST_F(LoadTest, ThrottlingAndServerErrorsAreRetriedUntilEverythingIsLoaded) {
  StartEmulator({"--fault-429", "0.2", "--fault-503", "0.1", "--retry-after", "0", "--seed", "3"});
  Generate(2000);
  const std::string summary = dir_.File("summary.json");
  const ProcessResult result = Loader({"-summary-json", summary, "-max-attempts", "30",
                                       "-retry-base-delay-ms", "5", "-retry-max-delay-ms", "50"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(SummaryCount(summary, "loaded"), 8000u);
  EXPECT_GT(SummaryCount(summary, "retries"), 0u);
  EXPECT_GT(SummaryCount(summary, "throttled"), 0u);
  EXPECT_GT(SummaryCount(summary, "unavailable"), 0u);
  const auto stats = emulator_->Stats();
  for (const Vault& vault : kVaults) {
    const ExpectedPairs expected = ExpectedPairsFromCsv(data_dir(), vault.name, vault.column);
    EXPECT_EQ(stats.at(vault.id + "/" + vault.column).records, 2000u);
    EXPECT_EQ(stats.at(vault.id + "/" + vault.column).digest, expected.digest);
  }
}

TEST_F(LoadTest, HardCsvIsLoadedExactlyAndBadRowsGoToRejectsWithFileAndLine) {
  StartEmulator();
  const std::vector<Vault> one = {{"NAME", "vault_hard", "name"}};
  WriteFile(config_path(), ConfigJson(emulator_->url(), data_dir(), one));
  std::filesystem::create_directories(data_dir());
  // BOM, CRLF, quotes, escaped quotes, a comma and a newline inside quotes,
  // non-ASCII text; row 5 has an empty token and row 6 an empty value.
  WriteFile(dir_.File("data/name_data.csv"),
            "\xEF\xBB\xBF"
            "full_name\r\n"
            "\"Smith, John\"\r\n"
            "\"She said \"\"hi\"\"\"\r\n"
            "\"two\nlines\"\r\n"
            "Zoë 山田\r\n"
            "No Token\r\n"
            "\r\n"
            "Last One");
  WriteFile(dir_.File("data/name_tokens.csv"),
            "full_name_token\n"
            "tok-1\n"
            "tok-2\n"
            "tok-3\n"
            "tok-4\n"
            "\"\"\n"
            "tok-6\n"
            "tok-7\n");
  PairDigest expected;
  expected.Add("Smith, John", "tok-1");
  expected.Add("She said \"hi\"", "tok-2");
  expected.Add("two\nlines", "tok-3");
  expected.Add("Zoë 山田", "tok-4");
  expected.Add("Last One", "tok-7");

  const ProcessResult result = Loader({"-run-dir", dir_.File("run")});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  const auto stats = emulator_->Stats();
  ASSERT_EQ(stats.count("vault_hard/name"), 1u);
  EXPECT_EQ(stats.at("vault_hard/name").records, 5u);
  EXPECT_EQ(stats.at("vault_hard/name").digest, expected.Hex());

  const std::string rejected = ReadErrorLogs(dir_.File("run"));
  EXPECT_EQ(std::count(rejected.begin(), rejected.end(), '\n'), 2);
  EXPECT_NE(rejected.find("name_data.csv:7"), std::string::npos) << rejected;
  EXPECT_NE(rejected.find("empty token"), std::string::npos) << rejected;
  EXPECT_NE(rejected.find("name_data.csv:8"), std::string::npos) << rejected;
  EXPECT_NE(rejected.find("empty value"), std::string::npos) << rejected;
}

TEST_F(LoadTest, FilesOfDifferentLengthsSayWhichEndsFirst) {
  StartEmulator();
  const std::vector<Vault> one = {{"SSN", "vault_short", "ssn"}};
  WriteFile(config_path(), ConfigJson(emulator_->url(), data_dir(), one));
  std::filesystem::create_directories(data_dir());
  WriteFile(dir_.File("data/ssn_data.csv"), "ssn\n111-11-1111\n222-22-2222\n333-33-3333\n");
  WriteFile(dir_.File("data/ssn_tokens.csv"), "ssn_token\nt1\nt2\n");
  const ProcessResult result = Loader({});
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("ssn_tokens.csv"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("line"), std::string::npos) << result.err;
}

TEST_F(LoadTest, InvalidSettingsAreUsageErrors) {
  StartEmulator();
  for (const std::vector<std::string>& args : {std::vector<std::string>{"-batch-size", "0"},
                                               {"-concurrency", "0"},
                                               {"-source", "carrier-pigeon"},
                                               {"-no-such-flag"}}) {
    const ProcessResult result = Loader(args, kToken, seconds(20));
    EXPECT_EQ(result.exit_code, 2) << args[0] << ": " << result.err;
    EXPECT_FALSE(result.err.empty());
  }
}

}  // namespace
}  // namespace skyflow::testing
