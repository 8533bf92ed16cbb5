// The Snowflake source under stress, end to end with real parts only (a real
// PostgreSQL, the SQL API emulator executing the loader's SQL there, the
// vault emulator): a loader killed mid-load resumes inside the results
// Snowflake keeps instead of running its statements again, and says to start
// a new run when those results are gone; Ctrl-C cancels the statements that
// still run; faults on submit and on partition downloads change nothing in
// what the vaults hold, and no statement runs twice; a result of a million
// rows streams through in flat memory.
//
// Environment:
//   SKYFLOW_SF_ROWS  rows of the large result (default 1,000,000; the
//                    sanitizer presets set fewer)
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness/snowflake_fixture.h"
#include "util/pair_digest.h"

namespace skyflow::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using SteadyClock = std::chrono::steady_clock;

uint64_t FromEnvironment(const char* name, uint64_t fallback) {
  const char* text = std::getenv(name);
  return text != nullptr && *text != '\0' ? std::strtoull(text, nullptr, 10) : fallback;
}

// The last durable checkpoint of a vault's journal (see
// src/pipeline/checkpoint_journal.h: "<crc32> <JSON>" lines), read as a
// user's tool would: the last complete line.
struct JournalCheckpoint {
  uint64_t next_sequence = 0;
  std::string cursor;
  // The cursor's fields: "sf1 <handle> <partition> <row>".
  std::string handle;
  uint64_t partition = 0;
};

std::optional<JournalCheckpoint> LastCheckpoint(const std::string& run_dir,
                                                const std::string& vault) {
  std::error_code error;
  const std::string path = run_dir + "/checkpoint_" + vault + ".journal";
  if (!std::filesystem::exists(path, error)) return std::nullopt;
  const std::string text = ReadFile(path);
  const size_t end = text.rfind('\n');
  if (end == std::string::npos) return std::nullopt;
  const size_t start = text.rfind('\n', end - 1);
  const std::string line = text.substr(start == std::string::npos ? 0 : start + 1,
                                       end - (start == std::string::npos ? 0 : start + 1));
  const size_t space = line.find(' ');
  if (space == std::string::npos) return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::dom::element entry;
  JournalCheckpoint checkpoint;
  std::string_view cursor;
  if (parser.parse(line.substr(space + 1)).get(entry) ||
      entry["next_sequence"].get_uint64().get(checkpoint.next_sequence) ||
      entry["cursor"].get_string().get(cursor)) {
    ADD_FAILURE() << path << ": not a checkpoint line: " << line;
    return std::nullopt;
  }
  checkpoint.cursor = std::string(cursor);
  std::istringstream fields(checkpoint.cursor);
  std::string version;
  fields >> version >> checkpoint.handle >> checkpoint.partition;
  return checkpoint;
}

class SnowflakeResilienceTest : public SnowflakeFixture {
 protected:
  // Starts a Snowflake load of every vault without waiting for it.
  std::unique_ptr<Subprocess> StartLoad(const SqlApiEmulatorProcess& sqlapi,
                                        const std::vector<std::string>& args) {
    return std::make_unique<Subprocess>(SKYFLOW_LOADER_PATH, LoadArguments(sqlapi, args),
                                        dir_.path(), LoaderEnvironment(PatEnvironment()));
  }

  // `-resume -run-dir <run_dir_>`, the secrets again from the environment.
  ProcessResult Resume() {
    return RunProcess(SKYFLOW_LOADER_PATH, {"-resume", "-run-dir", run_dir_}, dir_.path(),
                      seconds(300), LoaderEnvironment(PatEnvironment()));
  }

  // Waits (10 s at most) until every vault of `vaults` has a checkpoint
  // past row 0 in the run directory; kills the loader with SIGKILL then. (A
  // vault without one starts again from its first row, with a new statement:
  // its first run recorded no handle.)
  void KillOnceCheckpointed(Subprocess* loader, const std::vector<TestVault>& vaults) {
    bool checkpointed = false;
    for (int i = 0; i < 1000 && !checkpointed && loader->running(); ++i) {
      checkpointed = true;
      for (const TestVault& vault : vaults) {
        const auto checkpoint = LastCheckpoint(run_dir_, vault.name);
        if (!checkpoint || checkpoint->next_sequence == 0) checkpointed = false;
      }
      if (!checkpointed) std::this_thread::sleep_for(milliseconds(10));
    }
    ASSERT_TRUE(checkpointed) << "no checkpoints within 10 s: " << loader->StderrSoFar();
    loader->Signal(SIGKILL);
    const ProcessResult killed = loader->Wait(seconds(10));
    EXPECT_EQ(killed.exit_code, -1)
        << "the loader ended before it was killed: " << killed.out << killed.err;
  }

  // Waits (10 s at most) until the SQL API emulator counts `count` statements.
  void AwaitStatements(const SqlApiEmulatorProcess& sqlapi, uint64_t count) {
    for (int i = 0; i < 200 && sqlapi.StatsCounter("statements_submitted") < count; ++i)
      std::this_thread::sleep_for(milliseconds(50));
    ASSERT_EQ(sqlapi.StatsCounter("statements_submitted"), count);
  }
};

// 20,000 rows per vault in 21 partitions each, every partition answered
// 250 ms late: the load lasts several seconds, and is killed once every
// vault has a checkpoint.
constexpr int kResumeRows = 20000;
const std::vector<std::string> kSlowPartitions = {"--max-partition-rows", "1000",
                                                  "--partition-delay-ms", "250"};

TEST_F(SnowflakeResilienceTest, AKilledLoadResumesInTheKeptResultsWithoutRunningThemAgain) {
  GenerateTables(kResumeRows);
  auto sqlapi = StartSqlApi(kSlowPartitions);
  auto loader = StartLoad(*sqlapi, {"-max-records", "0", "-sf-prefetch", "2"});
  KillOnceCheckpointed(loader.get(), kVaults);

  // Killed mid-load: some vault has rows left, and every checkpoint names a
  // kept result.
  bool unfinished = false;
  std::map<std::string, JournalCheckpoint> before;
  for (const TestVault& vault : kVaults) {
    const auto checkpoint = LastCheckpoint(run_dir_, vault.name);
    ASSERT_TRUE(checkpoint.has_value()) << vault.name;
    EXPECT_EQ(checkpoint->cursor.rfind("sf1 ", 0), 0u) << checkpoint->cursor;
    if (checkpoint->next_sequence < kResumeRows) unfinished = true;
    before[vault.name] = *checkpoint;
  }
  ASSERT_TRUE(unfinished) << "the load ended before the kill: make the partitions slower";
  EXPECT_EQ(sqlapi->StatsCounter("statements_executed"), 4u);

  const auto started = SteadyClock::now();
  const ProcessResult resumed = Resume();
  const double resume_seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  std::printf("resumed after the kill in %.1f s; checkpoints at the kill:", resume_seconds);
  for (const auto& [name, checkpoint] : before)
    std::printf(" %s row %llu (partition %llu)", name.c_str(),
                static_cast<unsigned long long>(checkpoint.next_sequence),
                static_cast<unsigned long long>(checkpoint.partition));
  std::printf("\n");

  ExpectVaultsHold("simple");
  // The resumed run continued in the kept results: no statement ran again,
  // none was even submitted again.
  EXPECT_EQ(sqlapi->StatsCounter("statements_executed"), 4u);
  EXPECT_EQ(sqlapi->StatsCounter("statements_submitted"), 4u);
  // ... in the same results it started with.
  for (const auto& [name, checkpoint] : before) {
    const auto after = LastCheckpoint(run_dir_, name);
    ASSERT_TRUE(after.has_value()) << name;
    EXPECT_EQ(after->handle, checkpoint.handle) << name;
    EXPECT_EQ(after->next_sequence, static_cast<uint64_t>(kResumeRows)) << name;
  }
}

TEST_F(SnowflakeResilienceTest, ResumingAfterTheResultsAreGoneSaysToStartANewRun) {
  GenerateTables(kResumeRows);
  const TestVault& ssn = kVaults[3];
  auto sqlapi = StartSqlApi(kSlowPartitions);
  auto loader = StartLoad(*sqlapi, {"-max-records", "0", "-vault", ssn.name});
  KillOnceCheckpointed(loader.get(), {ssn});
  const auto checkpoint = LastCheckpoint(run_dir_, ssn.name);
  ASSERT_TRUE(checkpoint.has_value());
  ASSERT_LT(checkpoint->next_sequence, static_cast<uint64_t>(kResumeRows));

  // A new emulator at the same address knows none of the old handles (404),
  // as Snowflake after the 24 hours it keeps a result.
  const int port = sqlapi->port();
  sqlapi.reset();
  sqlapi = StartSqlApi({"--port", std::to_string(port)});
  ASSERT_EQ(sqlapi->port(), port);
  const ProcessResult resumed = Resume();
  EXPECT_NE(resumed.exit_code, 0) << resumed.out << resumed.err;
  EXPECT_NE(resumed.err.find("start a new run"), std::string::npos) << resumed.err;
  EXPECT_NE(resumed.err.find(checkpoint->handle), std::string::npos) << resumed.err;
  // Nothing was run instead.
  EXPECT_EQ(sqlapi->StatsCounter("statements_submitted"), 0u);
  const auto stored = vault_->Stats();
  const auto table = stored.find(ssn.id + "/" + ssn.column);
  if (table != stored.end()) {
    EXPECT_LT(table->second.records, static_cast<uint64_t>(kResumeRows));
  }
}

TEST_F(SnowflakeResilienceTest, CtrlCCancelsTheStatementsStillRunning) {
  GenerateTables(100);
  // Every statement reports "running" for 20 s.
  auto sqlapi = StartSqlApi({"--async-delay-ms", "20000"});
  auto loader = StartLoad(*sqlapi, {"-max-records", "0"});
  AwaitStatements(*sqlapi, 4);
  std::this_thread::sleep_for(milliseconds(500));  // the loader polls them
  const auto interrupted = SteadyClock::now();
  loader->Signal(SIGINT);
  const ProcessResult result = loader->Wait(seconds(15));
  const double exit_seconds =
      std::chrono::duration<double>(SteadyClock::now() - interrupted).count();
  std::printf("exited %.2f s after SIGINT\n", exit_seconds);
  EXPECT_EQ(result.exit_code, 130) << result.out << result.err;
  EXPECT_LT(exit_seconds, 5.0);
  // One cancel per vault's statement.
  EXPECT_EQ(sqlapi->StatsCounter("cancels"), 4u);
  for (const auto& [table, stats] : vault_->Stats())
    EXPECT_EQ(stats.records, 0u) << table;
}

TEST_F(SnowflakeResilienceTest, FaultsOnSubmitAndPartitionsChangeNothingAndRunNoStatementTwice) {
  GenerateTables(5000);
  // Six partitions per vault (500, 1000 x 4, 500).
  auto sqlapi = StartSqlApi({"--max-partition-rows", "1000", "--fault-503-partition", "0.2",
                             "--fault-drop-partition", "0.1", "--fault-429-submit", "0.3",
                             "--fault-503-submit", "0.2"});
  const auto started = SteadyClock::now();
  // Half of all submits fail: enough attempts that the load never runs out.
  const ProcessResult result =
      Load(*sqlapi, {"-max-records", "0", "-max-attempts", "20"}, PatEnvironment());
  std::printf("faulted load took %.1f s, %llu faults injected\n",
              std::chrono::duration<double>(SteadyClock::now() - started).count(),
              static_cast<unsigned long long>(sqlapi->StatsCounter("faults_injected")));
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  ExpectVaultsHold("simple");
  EXPECT_GT(sqlapi->StatsCounter("faults_injected"), 0u);
  // A resent POST carries the same requestId: each statement ran once.
  EXPECT_EQ(sqlapi->StatsCounter("statements_executed"), 4u);
  EXPECT_EQ(sqlapi->StatsCounter("statements_submitted"), 4u);
}

// A result of a million rows in partitions of up to 50,000 rows: the
// loader's peak memory is the same as for 50,000 rows (the figures are
// printed).
TEST_F(SnowflakeResilienceTest, AMillionRowResultLoadsInFlatMemory) {
  const uint64_t large_rows = FromEnvironment("SKYFLOW_SF_ROWS", 1000000);
  const uint64_t small_rows = std::min<uint64_t>(50000, large_rows);
  auto sqlapi = StartSqlApi({"--partition-rows", "1000", "--max-partition-rows", "50000"});
  const auto load = [&](uint64_t rows) {
    const std::string count = std::to_string(rows);
    const TestVault vault = {"SSN", "vault_big" + count, "ssn"};
    WriteFile(config_path(),
              R"({"skyflow":{"vault_url":")" + vault_->url() + R"(","vaults":[{"name":")" +
                  vault.name + R"(","id":")" + vault.id + R"(","column":")" + vault.column +
                  R"(","query":"SELECT 'v' || i, 'tok_' || i FROM generate_series(1, )" + count +
                  R"() AS i"}]},"performance":{"batch_size":250,"max_concurrency":8}})");
    const std::string summary = dir_.File("summary" + count + ".json");
    const auto started = SteadyClock::now();
    const ProcessResult result =
        Load(*sqlapi, {"-max-records", "0", "-summary-json", summary}, PatEnvironment());
    const double took = std::chrono::duration<double>(SteadyClock::now() - started).count();
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    simdjson::dom::parser parser;
    uint64_t peak = 0;
    uint64_t loaded = 0;
    const std::string text = ReadFile(summary);
    EXPECT_FALSE(parser.parse(text)["peak_rss_bytes"].get_uint64().get(peak)) << text;
    EXPECT_FALSE(parser.parse(text)["loaded"].get_uint64().get(loaded)) << text;
    EXPECT_EQ(loaded, rows);

    // The vault holds exactly the rows of the query.
    PairDigest expected;
    for (uint64_t i = 1; i <= rows; ++i)
      expected.Add("v" + std::to_string(i), "tok_" + std::to_string(i));
    const auto stats = vault_->Stats();
    const std::string key = vault.id + "/" + vault.column;
    EXPECT_EQ(stats.count(key), 1u) << key;
    if (stats.count(key) == 1) {
      EXPECT_EQ(stats.at(key).records, rows);
      EXPECT_EQ(stats.at(key).digest, expected.Hex());
    }
    std::printf("%llu rows: peak RSS %.1f MiB, %.1f s\n", static_cast<unsigned long long>(rows),
                peak / 1048576.0, took);
    return peak;
  };
  const uint64_t small = load(small_rows);
  const uint64_t large = load(large_rows);
  // Many partitions, each downloaded once.
  EXPECT_GE(sqlapi->StatsCounter("partitions_served"), large_rows / 50000);
  EXPECT_LT(large, uint64_t{300} << 20);
  EXPECT_LT(large, 2 * small + (uint64_t{30} << 20));
}

}  // namespace
}  // namespace skyflow::testing
