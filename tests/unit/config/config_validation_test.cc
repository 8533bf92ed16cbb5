// Tests for config/config_validation.h: each rule, its message (naming the
// flag and the config key), and that all problems are reported together.
#include "config/config_validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace skyflow {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// A configuration a load accepts: defaults plus a vault URL and vault IDs.
LoaderConfig UsableConfig() {
  LoaderConfig config;
  config.skyflow.vault_url = "https://abc123.vault.skyflowapis.com";
  config.skyflow.vaults = DefaultVaults();
  for (VaultConfig& vault : config.skyflow.vaults)
    vault.id = "v" + vault.column;
  config.performance.max_records = 100000;
  return config;
}

TEST(ConfigValidationTest, UsableConfigHasNoProblems) {
  EXPECT_THAT(FindConfigProblems(UsableConfig()), IsEmpty());
  EXPECT_TRUE(ValidateConfig(UsableConfig()).ok());
}

TEST(ConfigValidationTest, MetricsAddressMustBeHostAndPort) {
  LoaderConfig config = UsableConfig();
  config.metrics.address = "127.0.0.1:0";
  EXPECT_THAT(FindConfigProblems(config), IsEmpty());
  config.metrics.address = "9102";
  const Status status = ValidateConfig(config);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("metrics address \"9102\" has no port"));
  EXPECT_THAT(status.message(), HasSubstr("set -metrics-addr or metrics.address"));
}

TEST(ConfigValidationTest, BatchSizeZeroNamesFlagAndKey) {
  LoaderConfig config = UsableConfig();
  config.performance.batch_size = 0;
  const Status status = ValidateConfig(config);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "batch size must be at least 1 (got 0): set -batch-size or performance.batch_size");
}

TEST(ConfigValidationTest, BatchSizeHasAnUpperBound) {
  LoaderConfig config = UsableConfig();
  config.performance.batch_size = kMaxBatchSize + 1;
  EXPECT_THAT(FindConfigProblems(config),
              ElementsAre("batch size must be at most 10000 (got 10001): set -batch-size or "
                          "performance.batch_size"));
}

TEST(ConfigValidationTest, ConcurrencyZeroNamesFlagAndKey) {
  LoaderConfig config = UsableConfig();
  config.performance.max_concurrency = 0;
  EXPECT_THAT(FindConfigProblems(config),
              ElementsAre("concurrency must be at least 1 (got 0): set -concurrency or "
                          "performance.max_concurrency"));
  config.performance.max_concurrency = 5000;
  EXPECT_THAT(FindConfigProblems(config), ElementsAre(HasSubstr("must be at most 4096")));
}

TEST(ConfigValidationTest, OtherPerformanceLimits) {
  LoaderConfig config = UsableConfig();
  config.performance.max_records = -1;
  config.performance.base_delay_ms = -5;
  config.performance.max_attempts = 0;
  config.performance.request_timeout_ms = 0;
  config.performance.retry_base_delay_ms = 100;
  config.performance.retry_max_delay_ms = 50;
  EXPECT_THAT(
      FindConfigProblems(config),
      ElementsAre(
          "max records (0 = unlimited) must be at least 0 (got -1): set -max-records or "
          "performance.max_records",
          "base delay must be at least 0 (got -5): set -base-delay-ms or performance.base_delay_ms",
          "max attempts must be at least 1 (got 0): set -max-attempts or performance.max_attempts",
          "request timeout (ms) must be at least 1 (got 0): set -request-timeout-ms or "
          "performance.request_timeout_ms",
          "retry max delay (50 ms) must be at least the retry base delay (100 ms): set "
          "-retry-max-delay-ms or performance.retry_max_delay_ms"));
}

TEST(ConfigValidationTest, ReportsEveryProblemAtOnce) {
  LoaderConfig config = UsableConfig();
  config.performance.batch_size = 0;
  config.performance.max_concurrency = 0;
  config.skyflow.vault_url.clear();
  const Status status = ValidateConfig(config);
  EXPECT_THAT(status.message(), HasSubstr("3 configuration problems:\n  - "));
  EXPECT_THAT(status.message(), HasSubstr("\n  - batch size must be at least 1"));
  EXPECT_THAT(status.message(), HasSubstr("\n  - concurrency must be at least 1"));
  EXPECT_THAT(status.message(), HasSubstr("\n  - the vault URL is not set"));
}

TEST(ConfigValidationTest, UnknownSourceIsReported) {
  LoaderConfig config = UsableConfig();
  config.run.source = static_cast<SourceKind>(99);
  EXPECT_THAT(
      FindConfigProblems(config),
      ElementsAre("unknown source (expected csv, snowflake, postgres or error-log): set -source"));
}

TEST(ConfigValidationTest, VaultUrlMustBeHttpOrHttpsWithAHost) {
  LoaderConfig config = UsableConfig();
  config.skyflow.vault_url = "";
  EXPECT_THAT(FindConfigProblems(config),
              ElementsAre("the vault URL is not set (https://<cluster>.vault.skyflowapis.com): set "
                          "-vault-url, SKYFLOW_VAULT_URL or skyflow.vault_url"));
  config.skyflow.vault_url = "abc.vault.skyflowapis.com";
  EXPECT_THAT(FindConfigProblems(config), ElementsAre(HasSubstr("must start with https://")));
  config.skyflow.vault_url = "https://";
  EXPECT_THAT(FindConfigProblems(config), ElementsAre(HasSubstr("has no host name")));
  config.skyflow.vault_url = "https://your_vault.vault.skyflowapis.com";
  EXPECT_THAT(FindConfigProblems(config), ElementsAre(HasSubstr("placeholder")));
  config.skyflow.vault_url = "http://127.0.0.1:8080";
  EXPECT_THAT(FindConfigProblems(config), IsEmpty());
  config.skyflow.vault_url = "HTTPS://abc.vault.skyflowapis.com/";
  EXPECT_THAT(FindConfigProblems(config), IsEmpty());
}

TEST(ConfigValidationTest, GenerateNeedsNoVaultAccess) {
  LoaderConfig config;
  config.skyflow.vaults = DefaultVaults();
  config.run.generate_count = 1000;
  EXPECT_THAT(FindConfigProblems(config, ConfigUse::kGenerate), IsEmpty());
  config.run.generate_count = -1;
  EXPECT_THAT(FindConfigProblems(config, ConfigUse::kGenerate),
              ElementsAre("the number of records to generate must be at least 1 (got -1): set "
                          "-generate"));
}

TEST(ConfigValidationTest, VaultIdsAreNeededOnlyForSelectedVaults) {
  LoaderConfig config = UsableConfig();
  for (VaultConfig& vault : config.skyflow.vaults)
    vault.id.clear();
  config.skyflow.vaults[1].id = "vid";
  EXPECT_THAT(
      FindConfigProblems(config),
      ElementsAre("vault NAME has no vault ID: set skyflow.vaults[0].id (or load only the "
                  "configured vaults with -vault NAME)",
                  HasSubstr("vault DOB has no vault ID"), HasSubstr("vault SSN has no vault ID")));
  config.run.vault_filter = "ID";
  EXPECT_THAT(FindConfigProblems(config), IsEmpty());
  config.run.vault_filter = "ssn";  // matched ignoring case
  EXPECT_THAT(FindConfigProblems(config),
              ElementsAre("vault SSN has no vault ID: set skyflow.vaults[3].id"));
}

TEST(ConfigValidationTest, PlaceholderVaultIdIsReported) {
  LoaderConfig config = UsableConfig();
  config.skyflow.vaults[2].id = "your_dob_vault_id";
  config.run.vault_filter = "DOB";
  EXPECT_THAT(FindConfigProblems(config),
              ElementsAre("vault DOB still has the placeholder ID \"your_dob_vault_id\" from "
                          "config.example.json: set skyflow.vaults[2].id to the vault's ID"));
}

TEST(ConfigValidationTest, UnknownVaultFilterListsTheKnownOnes) {
  LoaderConfig config = UsableConfig();
  config.run.vault_filter = "email";
  EXPECT_THAT(FindConfigProblems(config),
              ElementsAre("unknown vault \"email\" for -vault: the configured vaults are NAME, ID, "
                          "DOB, SSN (skyflow.vaults in the config file)"));
}

TEST(ConfigValidationTest, VaultNamesMustBeUniqueIgnoringCaseAndColumnsSet) {
  LoaderConfig config = UsableConfig();
  config.skyflow.vaults[3].name = "name";
  config.skyflow.vaults[1].column.clear();
  EXPECT_THAT(FindConfigProblems(config),
              ElementsAre("vault name \"name\" is used by skyflow.vaults[0].name and "
                          "skyflow.vaults[3].name; names must be unique, ignoring case, because "
                          "-vault selects by name",
                          "vault ID has no column: set skyflow.vaults[1].column"));
}

TEST(ConfigValidationTest, EmptyVaultListAndNamelessVault) {
  LoaderConfig config = UsableConfig();
  config.skyflow.vaults[0].name.clear();
  EXPECT_THAT(FindConfigProblems(config),
              ElementsAre("vault entry 0 has no name: set skyflow.vaults[0].name"));
  config.skyflow.vaults.clear();
  EXPECT_THAT(FindConfigProblems(config),
              ElementsAre(HasSubstr("no vaults are configured: add entries to skyflow.vaults")));
}

TEST(ConfigValidationTest, ErrorLogSourceNeedsAPathButNoVaultIds) {
  LoaderConfig config = UsableConfig();
  for (VaultConfig& vault : config.skyflow.vaults)
    vault.id.clear();
  config.run.source = SourceKind::kErrorLog;
  EXPECT_THAT(FindConfigProblems(config),
              ElementsAre("source error-log needs the error log to read: set -error-log PATH"));
  config.run.error_log_path = "error_log_NAME_20251016_143052.json";
  EXPECT_THAT(FindConfigProblems(config), IsEmpty());
}

TEST(ConfigValidationTest, ErrorLogOptionsAreCheckedWhereTheyApply) {
  LoaderConfig config = UsableConfig();
  config.run.error_log_format = "xml";
  EXPECT_THAT(FindConfigProblems(config),
              ElementsAre(HasSubstr("unknown error log format \"xml\" (expected jsonl, or go")));
  config.run.error_log_format = "go";
  config.run.error_log_all = true;
  EXPECT_THAT(FindConfigProblems(config),
              ElementsAre("-error-log-all only applies when reprocessing an error log: add "
                          "-error-log PATH"));
  config.run.source = SourceKind::kErrorLog;
  config.run.error_log_path = "error_log_NAME_20251016_143052.json";
  config.run.error_log_skip_torn = true;
  EXPECT_THAT(FindConfigProblems(config), IsEmpty());
}

TEST(ConfigValidationTest, CsvSourceNeedsADataDirectory) {
  LoaderConfig config = UsableConfig();
  config.csv.data_directory.clear();
  EXPECT_THAT(
      FindConfigProblems(config),
      ElementsAre("the CSV data directory is not set: set -data-dir or csv.data_directory"));
}

TEST(ConfigValidationTest, SnowflakeSettingsAreCheckedOnlyForSnowflake) {
  LoaderConfig config = UsableConfig();
  config.snowflake.query_mode = "fancy";
  config.snowflake.authenticator = "oauth2";
  config.snowflake.fetch_size = 0;
  EXPECT_THAT(FindConfigProblems(config), IsEmpty());
  config.run.source = SourceKind::kSnowflake;
  EXPECT_THAT(
      FindConfigProblems(config),
      ElementsAre("unknown Snowflake query mode \"fancy\" (expected simple, union or generic): set "
                  "-sf-query-mode or snowflake.query_mode",
                  "Snowflake fetch size must be at least 1 (got 0): set -sf-fetch-size or "
                  "snowflake.fetch_size",
                  "unknown Snowflake authenticator \"oauth2\" (expected "
                  "programmatic_access_token or SNOWFLAKE_JWT): set -sf-authenticator or "
                  "snowflake.authenticator",
                  "Snowflake user is not set: set -sf-user or snowflake.user"));
}

TEST(ConfigValidationTest, SnowflakeAuthenticatorsAndModes) {
  LoaderConfig config = UsableConfig();
  config.run.source = SourceKind::kSnowflake;
  config.snowflake.user = "LOADER";
  for (const char* authenticator : {"", "programmatic_access_token", "SNOWFLAKE_JWT"}) {
    config.snowflake.authenticator = authenticator;
    EXPECT_THAT(FindConfigProblems(config), IsEmpty()) << authenticator;
  }
  // Password login is gone: the problem says how to get a PAT or a key pair.
  config.snowflake.authenticator = "snowflake";
  const std::vector<std::string> problems = FindConfigProblems(config);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("-sf-authenticator programmatic_access_token"));
  EXPECT_THAT(problems[0], HasSubstr("SNOWFLAKE_JWT"));
  config.snowflake.authenticator.clear();
  config.snowflake.query_mode = "generic";
  config.snowflake.clm_table.clear();
  config.snowflake.account.clear();
  EXPECT_THAT(FindConfigProblems(config),
              ElementsAre("Snowflake account is not set: set -sf-account or snowflake.account",
                          "Snowflake CLM table is not set (generic query mode): set -sf-clm-table "
                          "or snowflake.clm_table"));
  config.snowflake.query_mode = "simple";
  config.snowflake.account = "A";
  config.snowflake.table.clear();
  EXPECT_THAT(FindConfigProblems(config),
              ElementsAre("Snowflake table is not set (simple query mode): set -sf-table or "
                          "snowflake.table"));
}

TEST(ConfigValidationTest, RecordRange) {
  LoaderConfig config = UsableConfig();
  config.run.start_record = 100;
  config.run.end_record = 100;
  EXPECT_THAT(FindConfigProblems(config),
              ElementsAre("end record (100) must be greater than start record (100), or 0 for no "
                          "end: set -end-record"));
  config.run.end_record = 0;
  EXPECT_THAT(FindConfigProblems(config), IsEmpty());
  config.run.start_record = -1;
  EXPECT_THAT(FindConfigProblems(config),
              ElementsAre("start record must be at least 0 (got -1): set -start-record"));
}

TEST(ConfigValidationTest, ClearNeedsVaultAccessButNoSource) {
  LoaderConfig config = UsableConfig();
  config.csv.data_directory.clear();
  config.performance.batch_size = 0;
  EXPECT_THAT(FindConfigProblems(config, ConfigUse::kClear), IsEmpty());
  config.skyflow.vault_url.clear();
  EXPECT_THAT(FindConfigProblems(config, ConfigUse::kClear),
              ElementsAre(HasSubstr("the vault URL is not set")));
}

TEST(ConfigValidationTest, SecretsNeverAppearInMessages) {
  LoaderConfig config = UsableConfig();
  config.skyflow.bearer_token = "SECRET-TOKEN-123";
  config.snowflake.password = "SECRET-PASSWORD-456";
  config.run.source = SourceKind::kSnowflake;
  config.snowflake.query_mode = "x";
  config.snowflake.authenticator = "y";
  config.performance.batch_size = 0;
  config.skyflow.vault_url = "ftp://x";
  config.run.vault_filter = "zzz";
  const std::string message = ValidateConfig(config).message();
  EXPECT_THAT(message, Not(HasSubstr("SECRET")));
  EXPECT_THAT(FindConfigProblems(config), Contains(HasSubstr("unknown vault")));
}

TEST(ConfigValidationTest, FindVaultByNameIgnoresCase) {
  const std::vector<VaultConfig> vaults = DefaultVaults();
  ASSERT_NE(FindVaultByName(vaults, "ssn"), nullptr);
  EXPECT_EQ(FindVaultByName(vaults, "ssn")->name, "SSN");
  EXPECT_EQ(FindVaultByName(vaults, "Dob")->column, "dob");
  EXPECT_EQ(FindVaultByName(vaults, "email"), nullptr);
}

TEST(LoaderConfigTest, DefaultVaultsAndSourceNames) {
  const std::vector<VaultConfig> vaults = DefaultVaults();
  ASSERT_EQ(vaults.size(), 4u);
  EXPECT_EQ(vaults[0].name, "NAME");
  EXPECT_EQ(vaults[0].column, "name");
  EXPECT_EQ(vaults[0].TableName(), "name");
  EXPECT_EQ(vaults[1].name, "ID");
  EXPECT_EQ(vaults[2].name, "DOB");
  EXPECT_EQ(vaults[3].name, "SSN");
  EXPECT_EQ(vaults[3].column, "ssn");
  for (const VaultConfig& vault : vaults)
    EXPECT_TRUE(vault.id.empty());
  EXPECT_STREQ(SourceKindName(SourceKind::kCsv), "csv");
  EXPECT_STREQ(SourceKindName(SourceKind::kSnowflake), "snowflake");
  EXPECT_STREQ(SourceKindName(SourceKind::kErrorLog), "error-log");
}

}  // namespace
}  // namespace skyflow

namespace skyflow {
namespace {

TEST(ConfigValidationTest, PostgresSourceNeedsAQueryForEverySelectedVault) {
  LoaderConfig config = UsableConfig();
  config.run.source = SourceKind::kPostgres;
  for (VaultConfig& vault : config.skyflow.vaults)
    vault.query = "SELECT v, t FROM " + vault.column;
  EXPECT_THAT(FindConfigProblems(config), IsEmpty());
  config.skyflow.vaults[2].query = " ; ";
  EXPECT_THAT(FindConfigProblems(config),
              ElementsAre("vault DOB has no query for -source postgres: set "
                          "skyflow.vaults[2].query to SQL returning two columns, the value then "
                          "the token"));
  config.run.vault_filter = "NAME";
  EXPECT_THAT(FindConfigProblems(config), IsEmpty());
}

TEST(ConfigValidationTest, TargetOnlyWithGenerate) {
  LoaderConfig config = UsableConfig();
  config.run.generate_target = "postgres://127.0.0.1/db";
  EXPECT_THAT(FindConfigProblems(config),
              Contains("-target only applies to -generate: add -generate N"));
  config.run.generate_count = 10;
  EXPECT_THAT(FindConfigProblems(config, ConfigUse::kGenerate), IsEmpty());
}

}  // namespace
}  // namespace skyflow
