// -clear end to end: the loader and the vault emulator as separate processes
// over loopback TCP. The emulator caps reads at 25 records, as the vault API
// does, so a clear that paged by more would miss records. Each test checks
// what the emulator still stores, the exit code and what was printed.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/emulator_process.h"
#include "harness/http_request.h"
#include "harness/loader_config.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {
namespace {

using std::chrono::seconds;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

constexpr char kToken[] = "clear-test-token-5c1e9b";

using Vault = TestVault;
const Vault kName{"NAME", "vault_name", "name"};
const Vault kSsn{"SSN", "vault_ssn", "ssn"};
const std::vector<Vault> kVaults = {kName, kSsn};

class ClearTest : public ::testing::Test {
 protected:
  void StartEmulator(std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), {"--max-read-limit", "25"});
    emulator_ = std::make_unique<EmulatorProcess>(dir_.path(), kToken, extra);
    ASSERT_TRUE(emulator_->ready());
    WriteFile(dir_.File("config.json"),
              LoaderConfigJson(emulator_->url(), dir_.File("data"), kVaults,
                               R"("batch_size":100,"max_concurrency":8)"));
  }

  ProcessResult Loader(std::vector<std::string> args, const std::string& token = kToken) {
    args.insert(args.begin(), {"-config", dir_.File("config.json")});
    std::map<std::string, std::string> env;
    if (!token.empty()) env["SKYFLOW_BEARER_TOKEN"] = token;
    return RunProcess(SKYFLOW_LOADER_PATH, args, dir_.path(), seconds(120), env);
  }

  // Generates `count` records per vault and loads them into `vaults`.
  void Load(int count, const std::vector<Vault>& vaults) {
    const ProcessResult generated = Loader({"-generate", std::to_string(count)}, "");
    ASSERT_EQ(generated.exit_code, 0) << generated.err;
    for (const Vault& vault : vaults) {
      const ProcessResult loaded = Loader({"-vault", vault.name, "-max-records", "0"});
      ASSERT_EQ(loaded.exit_code, 0) << loaded.out << loaded.err;
      ASSERT_EQ(Stored(vault), static_cast<uint64_t>(count)) << vault.name;
    }
  }

  // Records the emulator holds in `vault`'s table (0 for a table it lacks).
  uint64_t Stored(const Vault& vault) {
    const auto stats = emulator_->Stats();
    const auto table = stats.find(vault.id + "/" + vault.column);
    return table == stats.end() ? 0 : table->second.records;
  }

  // Requests the emulator has received so far, this one not included (the
  // stats request counts once it is answered).
  uint64_t RequestsSoFar() { return emulator_->StatsCounter("requests", "total"); }

  // Requests since `before` = RequestsSoFar(), the stats request that
  // measured it left out.
  uint64_t RequestsSince(uint64_t before) { return RequestsSoFar() - before - 1; }

  TempDir dir_;
  std::unique_ptr<EmulatorProcess> emulator_;
};

TEST_F(ClearTest, DeletesEveryRecordOfTheSelectedVaultPageByPage) {
  StartEmulator();
  Load(1000, kVaults);

  const ProcessResult cleared = Loader({"-clear", "-yes", "-vault", "NAME"});
  ASSERT_EQ(cleared.exit_code, 0) << cleared.out << cleared.err;
  EXPECT_TRUE(Contains(cleared.err, "Vault NAME (id vault_name, table name): 1000 records"))
      << cleared.err;
  EXPECT_TRUE(Contains(cleared.out, "Deleted 1000 records from vault NAME\n")) << cleared.out;
  EXPECT_TRUE(Contains(cleared.out, "Deleted 1000 records in total from 1 vault\n")) << cleared.out;
  EXPECT_FALSE(Contains(cleared.out + cleared.err, kToken)) << cleared.out + cleared.err;
  EXPECT_EQ(Stored(kName), 0u);
  EXPECT_EQ(Stored(kSsn), 1000u);  // not selected: untouched

  // Cleared, the vault can be loaded again with the same tokens.
  const ProcessResult reloaded = Loader({"-vault", "NAME", "-max-records", "0"});
  EXPECT_EQ(reloaded.exit_code, 0) << reloaded.out << reloaded.err;
  EXPECT_EQ(Stored(kName), 1000u);
}

TEST_F(ClearTest, WithoutATerminalOrYesRefusesAndDeletesNothing) {
  StartEmulator();
  Load(100, {kName});
  const uint64_t requests_before = RequestsSoFar();

  const ProcessResult refused = Loader({"-clear", "-vault", "NAME"});
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_TRUE(Contains(refused.err, "pass -yes")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "nothing was deleted")) << refused.err;
  EXPECT_FALSE(Contains(refused.out, "Deleted")) << refused.out;
  EXPECT_EQ(RequestsSince(requests_before), 0u);  // not even counted
  EXPECT_EQ(Stored(kName), 100u);
}

TEST_F(ClearTest, ClearAllDeletesWithOneRequestAndEmptyReadsMayAnswer200) {
  StartEmulator({"--empty-read-status", "200"});
  Load(1000, {kName});
  const uint64_t requests_before = RequestsSoFar();

  const ProcessResult cleared = Loader({"-clear", "-clear-all", "-yes", "-vault", "name"});
  ASSERT_EQ(cleared.exit_code, 0) << cleared.out << cleared.err;
  // Counting takes 41 reads (40 pages, then an empty one); then one delete
  // and one read to confirm. Page by page would add 40 deletes and 40 reads.
  EXPECT_EQ(RequestsSince(requests_before), 43u);
  EXPECT_TRUE(Contains(cleared.out, "Deleted 1000 records from vault NAME\n")) << cleared.out;
  EXPECT_EQ(Stored(kName), 0u);
}

TEST_F(ClearTest, AnEmptyVaultNeedsNoConfirmation) {
  StartEmulator();
  Load(10, {kName});
  ASSERT_EQ(Loader({"-clear", "-yes", "-vault", "NAME"}).exit_code, 0);

  const ProcessResult again = Loader({"-clear", "-yes", "-vault", "NAME"});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_TRUE(Contains(again.out, "Nothing to delete")) << again.out;
}

TEST_F(ClearTest, RetriesThrottlingAndLostAnswers) {
  StartEmulator({"--seed", "11"});
  Load(500, {kName});
  const HttpAnswer faults = HttpCall("PUT", emulator_->url() + "/emulator/v1/faults",
                                     R"({"errors":{"429":0.1,"503":0.1},"retry_after_seconds":0,)"
                                     R"("ambiguous":{"drop_after_commit":0.05}})");
  ASSERT_EQ(faults.status, 200) << faults.body;

  const ProcessResult cleared =
      Loader({"-clear", "-yes", "-vault", "NAME", "-max-attempts", "12", "-retry-base-delay-ms",
              "5", "-retry-max-delay-ms", "50", "-request-timeout-ms", "5000"});
  ASSERT_EQ(cleared.exit_code, 0) << cleared.out << cleared.err;
  EXPECT_TRUE(Contains(cleared.out, "Deleted 500 records from vault NAME\n")) << cleared.out;
  EXPECT_EQ(Stored(kName), 0u);
  EXPECT_GT(emulator_->StatsCounter("faults", "429"), 0u);
  EXPECT_GT(emulator_->StatsCounter("faults", "503"), 0u);
  EXPECT_GT(emulator_->StatsCounter("faults", "drop_after_commit"), 0u);
}

TEST_F(ClearTest, RejectedCredentialsStopBeforeDeletingWithoutShowingTheToken) {
  StartEmulator();
  Load(50, {kName});
  const std::string wrong = "not-the-right-token-but-long-enough";

  const ProcessResult refused = Loader({"-clear", "-yes", "-vault", "NAME"}, wrong);
  EXPECT_EQ(refused.exit_code, 3) << refused.out << refused.err;
  EXPECT_TRUE(Contains(refused.err, "rejected the credentials (HTTP 401")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "request id")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "SKYFLOW_BEARER_TOKEN")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "Nothing was deleted")) << refused.err;
  EXPECT_FALSE(Contains(refused.out + refused.err, wrong)) << refused.out + refused.err;
  EXPECT_EQ(Stored(kName), 50u);
}

TEST_F(ClearTest, AnUnknownTableIsAnErrorNotAnEmptyVault) {
  StartEmulator();
  Load(20, {kName});

  // SSN's table was never written: the emulator does not know it.
  const ProcessResult cleared = Loader({"-clear", "-yes"});
  EXPECT_EQ(cleared.exit_code, 3) << cleared.out << cleared.err;
  EXPECT_TRUE(Contains(cleared.err, "vault SSN answered 404")) << cleared.err;
  EXPECT_TRUE(Contains(cleared.err, "is invalid")) << cleared.err;
  EXPECT_TRUE(Contains(cleared.err, "Nothing was deleted")) << cleared.err;
  EXPECT_EQ(Stored(kName), 20u);
}

TEST_F(ClearTest, ClearAllWithoutClearIsAUsageError) {
  StartEmulator();
  const ProcessResult result = Loader({"-clear-all", "-yes"});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_TRUE(Contains(result.err, "pass -clear -clear-all")) << result.err;
}

}  // namespace
}  // namespace skyflow::testing
