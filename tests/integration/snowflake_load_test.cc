// Loads from Snowflake end to end, with real parts only: data generated into
// a real PostgreSQL, the loader's SQL executed there by the SQL API emulator
// (tests/integration/sql/snowflake_functions.sql supplies Snowflake's
// functions and the union mode's UDFs), the rows loaded into the vault
// emulator. Each mode and each authentication method must leave in every
// vault exactly the pairs a direct SQL query over the generated tables
// gives; the expected queries (in harness/snowflake_fixture.cc) are written
// independently of the loader's query builder.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "harness/run_files.h"
#include "harness/snowflake_fixture.h"

namespace skyflow::testing {
namespace {

// The fixture (harness/snowflake_fixture.h) holds the set-up these tests
// share with snowflake_resilience_test.cc.
class SnowflakeLoadTest : public SnowflakeFixture {
 protected:
  // `secret` is in neither output nor any file of the last run directory.
  void ExpectNowhere(const std::string& secret, const ProcessResult& result) const {
    EXPECT_EQ(result.out.find(secret), std::string::npos);
    EXPECT_EQ(result.err.find(secret), std::string::npos);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(run_dir_)) {
      if (!entry.is_regular_file()) continue;
      EXPECT_EQ(ReadFile(entry.path().string()).find(secret), std::string::npos) << entry.path();
    }
  }
};

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

TEST_F(SnowflakeLoadTest, ADryRunRunsTheStatementsAndSendsNothing) {
  GenerateTables(300);
  auto sqlapi = StartSqlApi();
  const ProcessResult result = Load(*sqlapi, {"-dry-run", "-max-records", "0"}, PatEnvironment());
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(sqlapi->StatsCounter("statements_executed"), 4u);
  for (const auto& [table, stats] : vault_->Stats())
    EXPECT_EQ(stats.records, 0u) << table;
}

}  // namespace
}  // namespace skyflow::testing
