// A long load survives everything: the loader killed with SIGKILL at random
// moments and resumed each time, the emulator crashing and coming back on
// the same port from its data file, throttling, server errors, lost answers
// and an outage. At the end the vault holds every pair of the source exactly
// once, and the error log holds the deliberately bad rows, each once.
//
// The expected content is computed by the test from the values it wrote;
// the vault's content is read back through the emulator's export.
//
// Environment, for longer runs (tests/soak.sh sets them):
//   SKYFLOW_CHAOS_SEED     seed of the kill moments and the faults (default fixed)
//   SKYFLOW_CHAOS_RECORDS  records per vault (default 50000; four vaults)
//   SKYFLOW_CHAOS_KILLS    SIGKILLs of the loader (default 3)
#include <gtest/gtest.h>
#include <signal.h>
#include <simdjson.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "harness/emulator_process.h"
#include "harness/http_request.h"
#include "harness/loader_config.h"
#include "harness/run_files.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {
namespace {

constexpr char kToken[] = "chaos-test-token-7d1e";

uint64_t FromEnvironment(const char* name, uint64_t fallback) {
  const char* text = std::getenv(name);
  return text != nullptr && *text != '\0' ? std::strtoull(text, nullptr, 10) : fallback;
}

using Pair = std::pair<std::string, std::string>;  // (value, token)

struct BadRow {
  std::string value;
  std::string token;
  std::string reason;  // what the error log must say
};

struct TestVault {
  std::string name;  // also the column and the table
  std::string id;
  std::set<Pair> good;
  size_t bad_rows = 0;
};

class ChaosTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = FromEnvironment("SKYFLOW_CHAOS_SEED", 20261130);
    records_ = FromEnvironment("SKYFLOW_CHAOS_RECORDS", 50000);
    kills_ = FromEnvironment("SKYFLOW_CHAOS_KILLS", 3);
    random_.seed(seed_);
    std::printf("chaos seed %llu (rerun with SKYFLOW_CHAOS_SEED=%llu)\n",
                static_cast<unsigned long long>(seed_), static_cast<unsigned long long>(seed_));
  }

  std::vector<std::string> EmulatorArgs(bool with_outage) const {
    std::vector<std::string> args = {"--data-file",
                                     dir_.File("vault.data"),
                                     "--seed",
                                     std::to_string(seed_),
                                     "--latency-ms",
                                     "2",
                                     "--fault-503",
                                     "0.05",
                                     "--fault-429",
                                     "0.03",
                                     "--retry-after",
                                     "1",
                                     "--fault-drop-after-commit",
                                     "0.02"};
    if (with_outage) args.insert(args.end(), {"--fault-schedule", "4+5:503"});
    return args;
  }

  void StartEmulator() {
    emulator_ = std::make_unique<EmulatorProcess>(dir_.path(), kToken, EmulatorArgs(true));
    ASSERT_TRUE(emulator_->ready());
    port_ = emulator_->port();
  }

  // A crash of the vault: everything it acknowledged is in its data file,
  // and it comes back on the same port.
  void CrashAndRestartEmulator() {
    emulator_->Stop(SIGKILL);
    std::vector<std::string> args = EmulatorArgs(false);
    args.insert(args.end(), {"--listen", "127.0.0.1:" + std::to_string(port_)});
    emulator_ = std::make_unique<EmulatorProcess>(dir_.path(), kToken, args);
    ASSERT_TRUE(emulator_->ready());
    ASSERT_EQ(emulator_->port(), port_);
  }

  // Four vaults of `records_` pairs each, with three bad rows spread through
  // each source.
  void WriteSources() {
    for (const char* name : {"a", "b", "c", "d"}) {
      TestVault vault{name, std::string("vault_") + name, {}, 0};
      const std::map<uint64_t, BadRow> bad = {
          {records_ / 4, {"", std::string(name) + "-token-empty-value", "empty value"}},
          {records_ / 2, {std::string(name) + "-value-empty-token", "", "empty token"}},
          {3 * records_ / 4, {"caf\xE9", std::string(name) + "-token-latin1", "not valid UTF-8"}}};
      std::string data = std::string(name) + "\n";
      std::string tokens = std::string(name) + "_token\n";
      for (uint64_t i = 0; i < records_; ++i) {
        if (auto found = bad.find(i); found != bad.end()) {
          data += found->second.value + "\n";
          tokens += found->second.token + "\n";
          expected_reasons_[found->second.token.empty() ? found->second.value
                                                        : found->second.token] =
              found->second.reason;
          ++vault.bad_rows;
        }
        const std::string value = std::string(name) + "-value-" + std::to_string(i);
        const std::string token = std::string(name) + "-token-" + std::to_string(i);
        data += value + "\n";
        tokens += token + "\n";
        vault.good.insert({value, token});
      }
      std::filesystem::create_directories(dir_.File("data"));
      WriteFile(dir_.File(std::string("data/") + name + "_data.csv"), data);
      WriteFile(dir_.File(std::string("data/") + name + "_tokens.csv"), tokens);
      vaults_.push_back(std::move(vault));
    }
    std::vector<skyflow::testing::TestVault> configured;
    for (const TestVault& vault : vaults_)
      configured.push_back({vault.name, vault.id, vault.name});
    WriteFile(
        dir_.File("config.json"),
        LoaderConfigJson("http://127.0.0.1:" + std::to_string(port_), dir_.File("data"), configured,
                         R"("batch_size":100,"max_concurrency":8,"max_records":0)"));
  }

  std::unique_ptr<Subprocess> StartLoader(bool resume) {
    std::vector<std::string> args = {"-config",       dir_.File("config.json"), "-run-dir",
                                     run_dir(),       "-max-attempts",          "30",
                                     "-summary-json", dir_.File("summary.json")};
    if (resume) args.push_back("-resume");
    return std::make_unique<Subprocess>(
        SKYFLOW_LOADER_PATH, args, dir_.path(),
        std::map<std::string, std::string>{{"SKYFLOW_BEARER_TOKEN", kToken}});
  }

  std::chrono::milliseconds RandomMoment() {
    return std::chrono::milliseconds(std::uniform_int_distribution<int>(700, 2500)(random_));
  }

  // The pairs the emulator stores for `vault`, read through its export.
  std::multiset<Pair> Stored(const TestVault& vault) {
    const HttpAnswer answer = HttpGet(emulator_->url() + "/emulator/v1/export?vault=" + vault.id +
                                      "&table=" + vault.name + "&format=jsonl");
    EXPECT_EQ(answer.status, 200) << answer.body.substr(0, 200);
    std::multiset<Pair> pairs;
    simdjson::dom::parser parser;
    size_t start = 0;
    while (start < answer.body.size()) {
      const size_t end = answer.body.find('\n', start);
      const std::string line = answer.body.substr(start, end - start);
      start = end == std::string::npos ? answer.body.size() : end + 1;
      simdjson::dom::element pair;
      std::string_view value, token;
      if (parser.parse(line).get(pair) || pair["value"].get(value) || pair["token"].get(token)) {
        ADD_FAILURE() << "export line is not a pair: " << line;
        continue;
      }
      pairs.insert({std::string(value), std::string(token)});
    }
    return pairs;
  }

  std::string run_dir() const { return dir_.File("run"); }

  TempDir dir_;
  std::unique_ptr<EmulatorProcess> emulator_;
  int port_ = 0;
  uint64_t seed_ = 0;
  uint64_t records_ = 0;
  uint64_t kills_ = 0;
  std::mt19937_64 random_;
  std::vector<TestVault> vaults_;
  std::map<std::string, std::string> expected_reasons_;  // by token (or value)
};

TEST_F(ChaosTest, KilledResumedAndFaultedTheLoadEndsExactlyOnce) {
  StartEmulator();
  WriteSources();

  for (uint64_t kill = 0; kill < kills_; ++kill) {
    std::unique_ptr<Subprocess> loader = StartLoader(/*resume=*/kill > 0);
    if (kill == 1) {
      // The vault crashes while this run is loading, and comes back.
      std::this_thread::sleep_for(RandomMoment() / 2);
      CrashAndRestartEmulator();
    }
    std::this_thread::sleep_for(RandomMoment());
    loader->Signal(SIGKILL);
    const ProcessResult killed = loader->Wait(std::chrono::seconds(10));
    EXPECT_FALSE(killed.timed_out);
  }

  // The last run is resumed the shortest way: the latest run in the working
  // directory, with the flags it was started with.
  std::unique_ptr<Subprocess> last =
      kills_ == 0 ? StartLoader(/*resume=*/false)
                  : std::make_unique<Subprocess>(
                        SKYFLOW_LOADER_PATH, std::vector<std::string>{"-resume"}, dir_.path(),
                        std::map<std::string, std::string>{{"SKYFLOW_BEARER_TOKEN", kToken}});
  const ProcessResult result = last->Wait(std::chrono::minutes(4));
  ASSERT_FALSE(result.timed_out) << result.err;
  // Only the deliberately bad rows keep the load from being complete.
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  if (kills_ > 0) {
    EXPECT_NE(result.out.find("run " + std::to_string(kills_) + "  started"), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("stopped without an end"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("WHOLE LOAD"), std::string::npos) << result.out;
  }

  for (const TestVault& vault : vaults_) {
    const std::multiset<Pair> stored = Stored(vault);
    EXPECT_EQ(stored.size(), vault.good.size()) << "vault " << vault.name;
    const std::set<Pair> distinct(stored.begin(), stored.end());
    EXPECT_EQ(distinct.size(), stored.size()) << "vault " << vault.name << " holds duplicates";
    EXPECT_TRUE(distinct == vault.good) << "vault " << vault.name << " holds other pairs";
  }

  // The error logs hold the bad rows, each once, with its reason, and
  // nothing else.
  std::map<std::string, int> seen;
  simdjson::dom::parser parser;
  const std::string logs = ReadErrorLogs(run_dir());
  size_t start = 0;
  while (start < logs.size()) {
    const size_t end = logs.find('\n', start);
    ASSERT_NE(end, std::string::npos) << "a torn line in the final error log";
    const std::string line = logs.substr(start, end - start);
    start = end + 1;
    simdjson::dom::element entry;
    std::string_view token, value_text, message;
    ASSERT_FALSE(parser.parse(line).get(entry)) << line;
    ASSERT_FALSE(entry["token"].get(token) || entry["value"].get(value_text) ||
                 entry["message"].get(message))
        << line;
    const std::string key = token.empty() ? std::string(value_text) : std::string(token);
    const auto reason = expected_reasons_.find(key);
    ASSERT_NE(reason, expected_reasons_.end()) << "not a deliberately bad row: " << line;
    EXPECT_NE(message.find(reason->second), std::string::npos) << line;
    ++seen[key];
  }
  EXPECT_EQ(seen.size(), expected_reasons_.size()) << logs;
  for (const auto& [key, count] : seen)
    EXPECT_EQ(count, 1) << key << " is in the error log " << count << " times";

  // Files holding values are for their owner alone.
  const std::vector<std::string> error_logs = ErrorLogPaths(run_dir());
  EXPECT_EQ(error_logs.size(), vaults_.size());
  for (const std::string& path : error_logs) {
    struct stat info {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0) << path;
    EXPECT_EQ(info.st_mode & 0777, 0600u) << path;
  }
  struct stat directory {};
  ASSERT_EQ(::stat(run_dir().c_str(), &directory), 0);
  EXPECT_EQ(directory.st_mode & 0777, 0700u);
}

// Ctrl-C mid-load: the loader finishes what is in flight, prints the command
// that resumes, exits 130; that very command completes the load exactly.
TEST_F(ChaosTest, InterruptedThenResumedWithThePrintedCommand) {
  records_ = std::min<uint64_t>(records_, 5000);
  StartEmulator();
  WriteSources();
  std::unique_ptr<Subprocess> loader = StartLoader(/*resume=*/false);
  std::this_thread::sleep_for(RandomMoment());
  loader->Signal(SIGINT);
  const ProcessResult interrupted = loader->Wait(std::chrono::seconds(60));
  ASSERT_EQ(interrupted.exit_code, 130) << interrupted.out << interrupted.err;

  const std::string marker = "To resume this load where it stopped:\n  ";
  const size_t at = interrupted.err.find(marker);
  ASSERT_NE(at, std::string::npos) << interrupted.err;
  const size_t begin = at + marker.size();
  const std::string command =
      interrupted.err.substr(begin, interrupted.err.find('\n', begin) - begin);
  std::vector<std::string> words;
  for (size_t from = 0; from < command.size();) {
    const size_t space = command.find(' ', from);
    words.push_back(command.substr(from, space - from));
    from = space == std::string::npos ? command.size() : space + 1;
  }
  ASSERT_GE(words.size(), 2u) << command;
  EXPECT_EQ(words.front(), SKYFLOW_LOADER_PATH);
  const ProcessResult resumed =
      RunProcess(words.front(), std::vector<std::string>(words.begin() + 1, words.end()),
                 dir_.path(), std::chrono::minutes(3), {{"SKYFLOW_BEARER_TOKEN", kToken}});
  EXPECT_EQ(resumed.exit_code, 1) << resumed.out << resumed.err;
  for (const TestVault& vault : vaults_) {
    const std::multiset<Pair> stored = Stored(vault);
    EXPECT_EQ(stored.size(), vault.good.size()) << "vault " << vault.name;
    EXPECT_TRUE(std::set<Pair>(stored.begin(), stored.end()) == vault.good) << vault.name;
  }
  EXPECT_EQ(ErrorLogLines(run_dir()), expected_reasons_.size());
}

}  // namespace
}  // namespace skyflow::testing
