// Loads from Snowflake end to end, with real parts only: data generated into
// a real PostgreSQL, the loader's SQL executed there by the SQL API emulator
// (tests/integration/sql/snowflake_functions.sql supplies Snowflake's
// functions and the union mode's UDFs), the rows loaded into the vault
// emulator. Each mode and each authentication method must leave in every
// vault exactly the pairs a direct SQL query over the generated tables
// gives; the expected queries below are written independently of the
// loader's query builder.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/emulator_process.h"
#include "harness/loader_config.h"
#include "harness/postgres_server.h"
#include "harness/run_files.h"
#include "harness/sqlapi_emulator_process.h"
#include "harness/subprocess.h"
#include "harness/system_tools.h"
#include "harness/temp_dir.h"
#include "util/pair_digest.h"

namespace skyflow::testing {
namespace {

using std::chrono::seconds;

constexpr char kToken[] = "snowflake-load-vault-token-51c2";
constexpr char kPat[] = "snowflake-load-pat-9d0e";
constexpr char kDatabase[] = "d01_skyflow_poc";
constexpr char kAccount[] = "MYORG-MYACCOUNT";
constexpr char kUser[] = "LOADER";
constexpr int kRows = 3000;

const std::vector<TestVault> kVaults = {{"NAME", "vault_name", "name"},
                                        {"ID", "vault_id", "id"},
                                        {"DOB", "vault_dob", "dob"},
                                        {"SSN", "vault_ssn", "ssn"}};

// The pairs each vault must hold after a load in `mode`, straight from the
// generated tables: one "value<US>token" per line.
std::string ExpectedPairsSql(const std::string& mode, const std::string& vault) {
  // simple mode reads PATIENTS (names upper-cased, dates as text);
  // union and generic read CLM and MBR, whose tokens are the same.
  if (mode == "simple") {
    if (vault == "NAME")
      return "SELECT upper(full_name) || chr(31) || full_name_token FROM skyflow_poc.patients";
    if (vault == "ID") return "SELECT id || chr(31) || id_token FROM skyflow_poc.patients";
    if (vault == "DOB")
      return "SELECT to_char(dob, 'YYYY-MM-DD') || chr(31) || dob_token FROM skyflow_poc.patients";
    return "SELECT ssn || chr(31) || ssn_token FROM skyflow_poc.patients";
  }
  const std::map<std::string, std::pair<std::string, std::string>> columns = {
      {"NAME", {"src_mbr_nm", "mbr_nm"}},
      {"ID", {"src_mbr_id", "mbr_id"}},
      {"DOB", {"src_mbr_birth_dt", "birth_dt"}},
      {"SSN", {"src_mbr_ssn", "ssn"}}};
  const auto& [clm, mbr] = columns.at(vault);
  return "SELECT DISTINCT pair FROM (SELECT " + clm + " || chr(31) || " + clm +
         "_token AS pair FROM skyflow_poc.clm UNION ALL SELECT " + mbr + " || chr(31) || " + mbr +
         "_token FROM skyflow_poc.mbr) AS both_tables";
}

class SnowflakeLoadTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = PostgresServer::Start(&server_error_).release();
    if (server_ == nullptr) return;
    server_->CreateDatabase(kDatabase);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr) << server_error_;
    vault_ = std::make_unique<EmulatorProcess>(dir_.path(), kToken);
    ASSERT_TRUE(vault_->ready());
    WriteFile(config_path(), LoaderConfigJson(vault_->url(), dir_.File("data"), kVaults,
                                              R"("batch_size":200,"max_concurrency":8)"));
  }

  // Generates kRows rows into PostgreSQL with the loader itself (the tables
  // of docs/SNOWFLAKE.md) and installs Snowflake's functions.
  void GenerateTables(int rows = kRows) {
    const ProcessResult generated =
        RunProcess(SKYFLOW_LOADER_PATH,
                   {"-config", config_path(), "-generate", std::to_string(rows), "-target",
                    server_->Url(kDatabase)},
                   dir_.path(), seconds(300));
    ASSERT_EQ(generated.exit_code, 0) << generated.out << generated.err;
    server_->Psql(kDatabase, ReadFile(std::string(SKYFLOW_SOURCE_DIR) +
                                      "/tests/integration/sql/snowflake_functions.sql"));
  }

  std::unique_ptr<SqlApiEmulatorProcess> StartSqlApi(std::vector<std::string> args = {}) {
    args.insert(args.begin(), {"--pg-dsn", server_->Dsn(kDatabase), "--pat", kPat, "--account",
                               kAccount, "--user", kUser, "--partition-rows", "500"});
    auto emulator = std::make_unique<SqlApiEmulatorProcess>(dir_.path(), args);
    EXPECT_TRUE(emulator->ready());
    return emulator;
  }

  // A Snowflake load; `args` follow the common ones.
  ProcessResult Load(const SqlApiEmulatorProcess& sqlapi, std::vector<std::string> args,
                     std::map<std::string, std::string> env = {}) {
    std::vector<std::string> all = {"-config",    config_path(), "-source",      "snowflake",
                                    "-sf-url",    sqlapi.url(),  "-sf-account",  kAccount,
                                    "-sf-user",   kUser,         "-sf-database", "D01_SKYFLOW_POC",
                                    "-sf-schema", "SKYFLOW_POC", "-sf-table",    "PATIENTS"};
    // Each load its own run directory; the last one is run_dir_.
    run_dir_ = dir_.File("run" + std::to_string(++runs_));
    all.insert(all.end(), {"-run-dir", run_dir_});
    all.insert(all.end(), args.begin(), args.end());
    env["SKYFLOW_BEARER_TOKEN"] = kToken;
    return RunProcess(SKYFLOW_LOADER_PATH, all, dir_.path(), seconds(300), env);
  }

  std::map<std::string, std::string> PatEnvironment() const { return {{"SNOWFLAKE_PAT", kPat}}; }

  // Makes a key pair with the openssl tool, as a user would; returns
  // {private key path (PKCS#8 PEM, encrypted when `passphrase` is given),
  // public key path}.
  std::pair<std::string, std::string> MakeKeyPair(const std::string& name,
                                                  const std::string& passphrase = "") {
    const std::string openssl = FindProgram("openssl");
    const std::string private_path = dir_.File(name + ".p8");
    const std::string public_path = dir_.File(name + ".pub");
    std::vector<std::string> generate = {
        "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", private_path};
    std::vector<std::string> extract = {"pkey",    "-in",  private_path,
                                        "-pubout", "-out", public_path};
    if (!passphrase.empty()) {
      generate.insert(generate.end(), {"-aes-256-cbc", "-pass", "pass:" + passphrase});
      extract.insert(extract.end(), {"-passin", "pass:" + passphrase});
    }
    EXPECT_EQ(RunProcess(openssl, generate, dir_.path(), seconds(60)).exit_code, 0);
    EXPECT_EQ(RunProcess(openssl, extract, dir_.path(), seconds(60)).exit_code, 0);
    return {private_path, public_path};
  }

  void ExpectVaultsHold(const std::string& mode) {
    const auto stats = vault_->Stats();
    for (const TestVault& vault : kVaults) {
      PairDigest expected;
      uint64_t count = 0;
      const std::string rows = server_->Psql(kDatabase, ExpectedPairsSql(mode, vault.name));
      size_t start = 0;
      while (start < rows.size()) {
        const size_t end = rows.find('\n', start);
        const std::string line = rows.substr(start, end - start);
        const size_t separator = line.find('\x1f');
        if (separator != std::string::npos) {
          expected.Add(line.substr(0, separator), line.substr(separator + 1));
          ++count;
        }
        start = end == std::string::npos ? rows.size() : end + 1;
      }
      const std::string key = vault.id + "/" + vault.column;
      ASSERT_EQ(stats.count(key), 1u) << key;
      EXPECT_GT(count, 0u);
      EXPECT_EQ(stats.at(key).records, count) << key;
      EXPECT_EQ(stats.at(key).digest, expected.Hex()) << key;
    }
  }

  // `secret` is in neither output nor any file of the last run directory.
  void ExpectNowhere(const std::string& secret, const ProcessResult& result) const {
    EXPECT_EQ(result.out.find(secret), std::string::npos);
    EXPECT_EQ(result.err.find(secret), std::string::npos);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(run_dir_)) {
      if (!entry.is_regular_file()) continue;
      EXPECT_EQ(ReadFile(entry.path().string()).find(secret), std::string::npos) << entry.path();
    }
  }

  std::string config_path() const { return dir_.File("config.json"); }

  static PostgresServer* server_;
  static std::string server_error_;
  TempDir dir_;
  int runs_ = 0;
  std::string run_dir_;
  std::unique_ptr<EmulatorProcess> vault_;
};

PostgresServer* SnowflakeLoadTest::server_ = nullptr;
std::string SnowflakeLoadTest::server_error_;

TEST_F(SnowflakeLoadTest, SimpleModeWithAPatLoadsEveryVault) {
  GenerateTables();
  auto sqlapi = StartSqlApi();
  const ProcessResult result =
      Load(*sqlapi, {"-sf-authenticator", "programmatic_access_token", "-max-records", "0"},
           PatEnvironment());
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  ExpectVaultsHold("simple");
  // Every vault's statement ran, over several partitions each.
  EXPECT_EQ(sqlapi->StatsCounter("statements_executed"), 4u);
  EXPECT_GE(sqlapi->StatsCounter("partitions_served"), 4u * 2);
  ExpectNowhere(kPat, result);
}

TEST_F(SnowflakeLoadTest, UnionModeWithAKeyPairLoadsThroughTheUdfs) {
  GenerateTables();
  const auto [private_key, public_key] = MakeKeyPair("loader", "key-passphrase-73b1");
  auto sqlapi = StartSqlApi({"--public-key-file", public_key});
  const ProcessResult result =
      Load(*sqlapi,
           {"-sf-query-mode", "union", "-sf-authenticator", "SNOWFLAKE_JWT", "-sf-private-key-file",
            private_key, "-max-records", "0"},
           {{"SNOWFLAKE_PRIVATE_KEY_PASSPHRASE", "key-passphrase-73b1"}});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  ExpectVaultsHold("union");
  ExpectNowhere("key-passphrase-73b1", result);
}

TEST_F(SnowflakeLoadTest, GenericModeAndCustomQueriesLoadTheSamePairs) {
  GenerateTables();
  auto sqlapi = StartSqlApi({"--fault-503-partition", "0.1", "--fault-429-submit", "0.2"});
  ProcessResult result =
      Load(*sqlapi, {"-sf-query-mode", "generic", "-max-records", "0"}, PatEnvironment());
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  ExpectVaultsHold("generic");
}

TEST_F(SnowflakeLoadTest, NullAndEmptyCellsAreRejectedWithTheirRowNumbers) {
  GenerateTables(200);
  server_->Psql(kDatabase,
                "CREATE TABLE skyflow_poc.odd (v text, t text);"
                "INSERT INTO skyflow_poc.odd VALUES ('a', 'tok-a'), (NULL, 'tok-b'), "
                "('c', NULL), ('', 'tok-d'), ('e', 'tok-e');");
  WriteFile(config_path(),
            R"({"skyflow":{"vault_url":")" + vault_->url() +
                R"(","vaults":[{"name":"CARDS","id":"vault_cards","column":"card",)"
                R"("query":"SELECT v, t FROM skyflow_poc.odd ORDER BY t NULLS LAST"}]},)"
                R"("performance":{"batch_size":10,"max_concurrency":2}})");
  auto sqlapi = StartSqlApi();
  const ProcessResult result = Load(*sqlapi, {"-max-records", "0"}, PatEnvironment());
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  const auto stats = vault_->Stats();
  ASSERT_EQ(stats.count("vault_cards/card"), 1u);
  EXPECT_EQ(stats.at("vault_cards/card").records, 2u);
  const std::string rejected = ReadErrorLogs(run_dir_);
  EXPECT_NE(rejected.find("Snowflake result row:2"), std::string::npos) << rejected;
  EXPECT_NE(rejected.find("NULL value"), std::string::npos) << rejected;
  EXPECT_NE(rejected.find("empty value"), std::string::npos) << rejected;
  EXPECT_NE(rejected.find("NULL token"), std::string::npos) << rejected;
}

TEST_F(SnowflakeLoadTest, SqlErrorsAndRefusedCredentialsSayWhatToDo) {
  GenerateTables(100);
  const auto [private_key, public_key] = MakeKeyPair("registered");
  const auto [other_key, other_public] = MakeKeyPair("unregistered");
  auto sqlapi = StartSqlApi({"--public-key-file", public_key});

  // A table that does not exist: Snowflake's 422, with the statement.
  ProcessResult result =
      Load(*sqlapi, {"-sf-table", "NO_SUCH_TABLE", "-vault", "SSN"}, PatEnvironment());
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("no_such_table"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("SELECT DISTINCT ssn AS ssn"), std::string::npos) << result.err;

  // A key the user does not have: the fingerprint to register.
  result = Load(*sqlapi, {"-sf-authenticator", "SNOWFLAKE_JWT", "-sf-private-key-file", other_key,
                          "-vault", "SSN"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("RSA_PUBLIC_KEY_FP"), std::string::npos) << result.err;

  // Another account: the JWT's iss and sub do not match.
  result = Load(*sqlapi, {"-sf-authenticator", "SNOWFLAKE_JWT", "-sf-private-key-file", private_key,
                          "-sf-account", "OTHERORG-OTHER", "-vault", "SSN"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("401"), std::string::npos) << result.err;

  // A wrong PAT: the network policy advice, never the PAT.
  result = Load(*sqlapi, {"-vault", "SSN"}, {{"SNOWFLAKE_PAT", "not-the-pat-4411"}});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("network policy"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("not-the-pat-4411"), std::string::npos) << result.err;

  // Password login is gone: the way to a PAT or a key pair.
  result = Load(*sqlapi, {"-sf-authenticator", "snowflake", "-vault", "SSN"}, PatEnvironment());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("programmatic access token"), std::string::npos) << result.err;
  // Nothing reached the vaults.
  for (const auto& [table, stats] : vault_->Stats())
    EXPECT_EQ(stats.records, 0u) << table;
}

TEST_F(SnowflakeLoadTest, TheDefaultOfAHundredRecordsIsAnnouncedAndApplied) {
  GenerateTables(500);
  auto sqlapi = StartSqlApi();
  const ProcessResult result = Load(*sqlapi, {"-vault", "ID"}, PatEnvironment());
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE((result.out + result.err).find("-max-records 0"), std::string::npos)
      << result.out << result.err;
  EXPECT_EQ(vault_->Stats().at("vault_id/id").records, 100u);
}

}  // namespace
}  // namespace skyflow::testing
