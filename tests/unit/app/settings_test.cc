// Tests for app/settings.h: precedence flag > environment > config file >
// default, the source-dependent defaults, and what is reported to the user.
#include "app/settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

namespace skyflow {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "settings_test_XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& text) const {
    const std::string file = path_ + "/" + name;
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Runs a test body inside a directory, so that "./config.json" is under the
// test's control; restores the previous working directory afterwards.
class ScopedWorkingDirectory {
 public:
  explicit ScopedWorkingDirectory(const std::string& path)
      : previous_(std::filesystem::current_path()) {
    std::filesystem::current_path(path);
  }
  ~ScopedWorkingDirectory() { std::filesystem::current_path(previous_); }

 private:
  std::filesystem::path previous_;
};

EnvironmentLookup FakeEnvironment(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
    const auto found = variables.find(std::string(name));
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

const char kFileConfig[] = R"({
  "skyflow": {
    "vault_url": "https://file.vault.skyflowapis.com",
    "bearer_token": "file-token",
    "vaults": [
      {"name": "NAME", "id": "v-name", "column": "name"},
      {"name": "SSN", "id": "v-ssn", "column": "ssn"}
    ]
  },
  "performance": {"batch_size": 200}
})";

class SettingsTest : public ::testing::Test {
 protected:
  CommandLine Flags(std::vector<std::string> args) {
    Result<CommandLine> parsed = ParseCommandLine(std::span<const std::string>(args));
    EXPECT_TRUE(parsed.ok()) << parsed.status().message();
    return parsed.ok() ? *parsed : CommandLine{};
  }

  // Flags with -config pointing at a file holding `json`.
  CommandLine WithConfig(const std::string& json, std::vector<std::string> args = {}) {
    const std::string path = dir_.Write("config.json", json);
    args.insert(args.begin(), {"-config", path});
    return Flags(std::move(args));
  }

  TempDir dir_;
};

TEST_F(SettingsTest, TokenPrecedenceFlagOverEnvironmentOverFileOverDefault) {
  const EnvironmentLookup no_env = FakeEnvironment({});
  const EnvironmentLookup env = FakeEnvironment({{"SKYFLOW_BEARER_TOKEN", "env-token"}});

  Result<Settings> merged = MergeSettings(WithConfig("{}"), no_env);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->config.skyflow.bearer_token, "");
  EXPECT_EQ(merged->bearer_token_origin, "");

  merged = MergeSettings(WithConfig(kFileConfig), no_env);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->config.skyflow.bearer_token, "file-token");
  EXPECT_EQ(merged->bearer_token_origin, dir_.path() + "/config.json");

  merged = MergeSettings(WithConfig(kFileConfig), env);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->config.skyflow.bearer_token, "env-token");
  EXPECT_EQ(merged->bearer_token_origin, "SKYFLOW_BEARER_TOKEN");

  merged = MergeSettings(WithConfig(kFileConfig, {"-token", "flag-token"}), env);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->config.skyflow.bearer_token, "flag-token");
  EXPECT_EQ(merged->bearer_token_origin, "-token");
}

TEST_F(SettingsTest, TokenFileSitsBelowTheEnvironmentAndAboveTheConfigFile) {
  const std::string file = dir_.Write("token.txt", "file-first-line-token\r\nsecond line\n");
  ::chmod(file.c_str(), 0600);
  Result<Settings> merged =
      MergeSettings(WithConfig(kFileConfig, {"-token-file", file}), FakeEnvironment({}));
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(merged->config.skyflow.bearer_token, "file-first-line-token");
  EXPECT_EQ(merged->bearer_token_origin, file);
  for (const std::string& warning : merged->warnings)
    EXPECT_EQ(warning.find("token.txt"), std::string::npos) << warning;

  merged = MergeSettings(WithConfig(kFileConfig, {"-token-file", file}),
                         FakeEnvironment({{"SKYFLOW_BEARER_TOKEN", "env-token"}}));
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->config.skyflow.bearer_token, "env-token");

  // Readable by others: a warning naming the fix, never the token.
  ::chmod(file.c_str(), 0644);
  merged = MergeSettings(WithConfig("{}", {"-token-file", file}), FakeEnvironment({}));
  ASSERT_TRUE(merged.ok());
  ASSERT_EQ(merged->warnings.size(), 1u);
  EXPECT_NE(merged->warnings[0].find("chmod 600 " + file), std::string::npos);
  EXPECT_EQ(merged->warnings[0].find("file-first-line-token"), std::string::npos);

  // Missing or empty: an error naming the flag.
  merged =
      MergeSettings(WithConfig("{}", {"-token-file", dir_.path() + "/none"}), FakeEnvironment({}));
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.status().message().find("-token-file"), std::string::npos);
  const std::string empty = dir_.Write("empty.txt", "\n");
  merged = MergeSettings(WithConfig("{}", {"-token-file", empty}), FakeEnvironment({}));
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.status().message().find("is empty"), std::string::npos);
}

TEST_F(SettingsTest, SnowflakeSecretsFromTheEnvironmentYieldToFlags) {
  const EnvironmentLookup env =
      FakeEnvironment({{"SNOWFLAKE_PASSWORD", "env-password"},
                       {"SNOWFLAKE_PAT", "env-pat"},
                       {"SNOWFLAKE_PRIVATE_KEY_PASSPHRASE", "env-passphrase"}});
  Result<Settings> merged = MergeSettings(WithConfig("{}"), env);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->config.snowflake.password, "env-pat");
  EXPECT_EQ(merged->config.snowflake.private_key_passphrase, "env-passphrase");
  merged = MergeSettings(WithConfig("{}", {"-sf-password", "flag-pat"}), env);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->config.snowflake.password, "flag-pat");
}

TEST_F(SettingsTest, VaultUrlPrecedence) {
  const EnvironmentLookup env = FakeEnvironment({{"SKYFLOW_VAULT_URL", "https://env"}});
  EXPECT_EQ(MergeSettings(WithConfig("{}"), FakeEnvironment({}))->config.skyflow.vault_url, "");
  EXPECT_EQ(MergeSettings(WithConfig(kFileConfig), FakeEnvironment({}))->config.skyflow.vault_url,
            "https://file.vault.skyflowapis.com");
  EXPECT_EQ(MergeSettings(WithConfig(kFileConfig), env)->config.skyflow.vault_url, "https://env");
  EXPECT_EQ(MergeSettings(WithConfig(kFileConfig, {"--vault-url=https://flag"}), env)
                ->config.skyflow.vault_url,
            "https://flag");
}

TEST_F(SettingsTest, EmptyEnvironmentAndEmptyFlagsCountAsUnset) {
  const EnvironmentLookup env =
      FakeEnvironment({{"SKYFLOW_BEARER_TOKEN", ""}, {"SKYFLOW_VAULT_URL", ""}});
  const Result<Settings> merged = MergeSettings(WithConfig(kFileConfig, {"-token="}), env);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->config.skyflow.bearer_token, "file-token");
  EXPECT_EQ(merged->config.skyflow.vault_url, "https://file.vault.skyflowapis.com");
}

TEST_F(SettingsTest, BatchSizePrecedence) {
  const EnvironmentLookup env = FakeEnvironment({});
  EXPECT_EQ(MergeSettings(WithConfig("{}"), env)->config.performance.batch_size, 300);
  EXPECT_EQ(MergeSettings(WithConfig(kFileConfig), env)->config.performance.batch_size, 200);
  EXPECT_EQ(MergeSettings(WithConfig(kFileConfig, {"-batch-size", "50"}), env)
                ->config.performance.batch_size,
            50);
}

TEST_F(SettingsTest, EveryFlagReachesTheConfig) {
  const CommandLine flags = Flags({"-config",
                                   dir_.Write("c.json", "{}"),
                                   "-source",
                                   "snowflake",
                                   "-vault",
                                   "ssn",
                                   "-vault-url",
                                   "https://u",
                                   "-data-dir",
                                   "dd",
                                   "-sf-user",
                                   "u",
                                   "-sf-password",
                                   "p",
                                   "-sf-authenticator",
                                   "programmatic_access_token",
                                   "-sf-account",
                                   "A",
                                   "-sf-warehouse",
                                   "W",
                                   "-sf-database",
                                   "D",
                                   "-sf-schema",
                                   "S",
                                   "-sf-role",
                                   "R",
                                   "-sf-fetch-size",
                                   "10",
                                   "-sf-query-mode",
                                   "union",
                                   "-sf-table",
                                   "T",
                                   "-sf-clm-table",
                                   "C",
                                   "-sf-mbr-table",
                                   "M",
                                   "-start-record",
                                   "5",
                                   "-end-record",
                                   "9",
                                   "-batch-size",
                                   "7",
                                   "-concurrency",
                                   "3",
                                   "-max-records",
                                   "0",
                                   "-append-suffix",
                                   "-base-delay-ms",
                                   "2",
                                   "-upsert",
                                   "-clear",
                                   "-offline",
                                   "-seed",
                                   "42",
                                   "-max-attempts",
                                   "4",
                                   "-request-timeout-ms",
                                   "900",
                                   "-retry-base-delay-ms",
                                   "20",
                                   "-retry-max-delay-ms",
                                   "800",
                                   "-run-dir",
                                   "runs/a",
                                   "-drain-timeout",
                                   "5s",
                                   "-summary-json",
                                   "s.json",
                                   "-yes",
                                   "-ca-file",
                                   "ca.pem",
                                   "-insecure",
                                   "-generate",
                                   "12",
                                   "-verify",
                                   "-sample",
                                   "30",
                                   "-verify-report",
                                   "v.jsonl"});
  const Result<Settings> merged = MergeSettings(flags, FakeEnvironment({}));
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  const LoaderConfig& c = merged->config;
  EXPECT_EQ(c.run.source, SourceKind::kSnowflake);
  EXPECT_EQ(c.run.vault_filter, "SSN");
  EXPECT_EQ(c.skyflow.vault_url, "https://u");
  EXPECT_EQ(c.csv.data_directory, "dd");
  EXPECT_EQ(c.snowflake.user, "u");
  EXPECT_EQ(c.snowflake.password, "p");
  EXPECT_EQ(c.snowflake.authenticator, "programmatic_access_token");
  EXPECT_EQ(c.snowflake.account, "A");
  EXPECT_EQ(c.snowflake.warehouse, "W");
  EXPECT_EQ(c.snowflake.database, "D");
  EXPECT_EQ(c.snowflake.schema, "S");
  EXPECT_EQ(c.snowflake.role, "R");
  EXPECT_EQ(c.snowflake.fetch_size, 10);
  EXPECT_EQ(c.snowflake.query_mode, "union");
  EXPECT_EQ(c.snowflake.table, "T");
  EXPECT_EQ(c.snowflake.clm_table, "C");
  EXPECT_EQ(c.snowflake.mbr_table, "M");
  EXPECT_EQ(c.run.start_record, 5);
  EXPECT_EQ(c.run.end_record, 9);
  EXPECT_EQ(c.performance.batch_size, 7);
  EXPECT_EQ(c.performance.max_concurrency, 3);
  EXPECT_EQ(c.performance.max_records, 0);
  EXPECT_TRUE(c.performance.append_suffix);
  EXPECT_EQ(c.performance.base_delay_ms, 2);
  EXPECT_TRUE(c.performance.upsert);
  EXPECT_TRUE(c.run.clear);
  EXPECT_TRUE(c.run.offline);
  EXPECT_EQ(c.run.seed, 42u);
  EXPECT_EQ(c.performance.max_attempts, 4);
  EXPECT_EQ(c.performance.request_timeout_ms, 900);
  EXPECT_EQ(c.performance.retry_base_delay_ms, 20);
  EXPECT_EQ(c.performance.retry_max_delay_ms, 800);
  EXPECT_EQ(c.run.run_dir, "runs/a");
  EXPECT_EQ(c.run.drain_timeout, "5s");
  EXPECT_EQ(c.run.summary_json_path, "s.json");
  EXPECT_TRUE(c.run.assume_yes);
  EXPECT_EQ(c.run.ca_file, "ca.pem");
  EXPECT_TRUE(c.run.insecure_skip_tls_verify);
  EXPECT_EQ(c.run.generate_count, 12);
  EXPECT_TRUE(c.run.verify);
  EXPECT_EQ(c.run.sample, 30);
  EXPECT_EQ(c.run.verify_report_path, "v.jsonl");
}

TEST_F(SettingsTest, VerifyIsCheckedAsALoadAndOnItsOwn) {
  const EnvironmentLookup env = FakeEnvironment({});
  const Result<Settings> ok =
      BuildSettings(WithConfig(kFileConfig, {"-verify", "-sample", "10"}), env);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ConfigUseFor(ok->config.run), ConfigUse::kLoad);

  // The leading word is the same as the flag.
  Result<CommandLine> word = ParseCommandLine(std::vector<std::string>{"verify", "-vault", "ssn"});
  ASSERT_TRUE(word.ok());
  EXPECT_EQ(word->verify, true);

  const auto problem = [&](std::vector<std::string> args) {
    const Result<Settings> bad = BuildSettings(WithConfig(kFileConfig, std::move(args)), env);
    EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
    return bad.status().message();
  };
  EXPECT_THAT(problem({"-sample", "5"}), HasSubstr("-sample only applies to verify"));
  EXPECT_THAT(problem({"-verify-report", "x"}), HasSubstr("-verify-report only applies to verify"));
  EXPECT_THAT(problem({"-verify", "-sample", "-2"}), HasSubstr("sample size"));
  EXPECT_THAT(problem({"-verify", "-dry-run"}), HasSubstr("run it on its own"));
  EXPECT_THAT(problem({"-verify", "-clear"}), HasSubstr("run it on its own"));
  EXPECT_THAT(problem({"-verify", "-generate", "3"}), HasSubstr("run it on its own"));
  EXPECT_THAT(problem({"-verify", "-append-suffix"}), HasSubstr("-append-suffix=false"));
  // A verify needs what a load needs: the vault URL.
  const Result<Settings> no_url =
      BuildSettings(WithConfig("{}", {"-verify", "-vault", "name"}), env);
  EXPECT_THAT(no_url.status().message(), HasSubstr("the vault URL is not set"));
}

TEST_F(SettingsTest, MaxRecordsDefaultsBySource) {
  const EnvironmentLookup env = FakeEnvironment({});
  EXPECT_EQ(MergeSettings(WithConfig("{}"), env)->config.performance.max_records, 100000);
  EXPECT_EQ(MergeSettings(WithConfig("{}", {"-source", "snowflake"}), env)
                ->config.performance.max_records,
            100);
  EXPECT_EQ(MergeSettings(WithConfig("{}", {"-error-log", "e.json"}), env)
                ->config.performance.max_records,
            0);
  // The file or a flag decides when it is given, whatever the source.
  EXPECT_EQ(
      MergeSettings(
          WithConfig(R"({"performance": {"max_records": 5000}})", {"-source", "snowflake"}), env)
          ->config.performance.max_records,
      5000);
  EXPECT_EQ(MergeSettings(WithConfig(R"({"performance": {"max_records": 5000}})",
                                     {"-source", "snowflake", "-max-records", "0"}),
                          env)
                ->config.performance.max_records,
            0);
}

TEST_F(SettingsTest, VaultIsMatchedIgnoringCase) {
  const EnvironmentLookup env = FakeEnvironment({});
  EXPECT_EQ(MergeSettings(WithConfig("{}", {"-vault", "name"}), env)->config.run.vault_filter,
            "NAME");
  EXPECT_EQ(MergeSettings(WithConfig("{}", {"-vault", "sSn"}), env)->config.run.vault_filter,
            "SSN");
  const Result<Settings> unknown = BuildSettings(WithConfig(kFileConfig, {"-vault", "email"}), env);
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.status().message(),
              HasSubstr("unknown vault \"email\" for -vault: the configured vaults are NAME, SSN"));
}

TEST_F(SettingsTest, SourceParsing) {
  const EnvironmentLookup env = FakeEnvironment({});
  EXPECT_EQ(MergeSettings(WithConfig("{}"), env)->config.run.source, SourceKind::kCsv);
  EXPECT_EQ(MergeSettings(WithConfig("{}", {"-source", "Snowflake"}), env)->config.run.source,
            SourceKind::kSnowflake);
  EXPECT_EQ(MergeSettings(WithConfig("{}", {"-source", "error-log"}), env)->config.run.source,
            SourceKind::kErrorLog);
  const Result<Settings> postgres =
      MergeSettings(WithConfig("{}", {"-source", "postgres", "-pg-dsn", "host=db"}), env);
  EXPECT_EQ(postgres->config.run.source, SourceKind::kPostgres);
  EXPECT_EQ(postgres->config.postgres.dsn, "host=db");
  // A query says what it reads: no default row limit.
  EXPECT_EQ(postgres->config.performance.max_records, 0);
  const Result<Settings> bad = MergeSettings(WithConfig("{}", {"-source", "snowflak"}), env);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(),
            "unknown source \"snowflak\" for -source: expected csv, snowflake, postgres or "
            "error-log (did you mean snowflake?)");
}

TEST_F(SettingsTest, ErrorLogImpliesItsSource) {
  const EnvironmentLookup env = FakeEnvironment({});
  Result<Settings> merged = MergeSettings(WithConfig("{}", {"-error-log", "e.json"}), env);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->config.run.source, SourceKind::kErrorLog);
  EXPECT_EQ(merged->config.run.error_log_path, "e.json");
  EXPECT_THAT(merged->warnings, IsEmpty());

  merged = MergeSettings(WithConfig("{}", {"-source", "csv", "-error-log", "e.json"}), env);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->config.run.source, SourceKind::kErrorLog);
  EXPECT_THAT(merged->warnings,
              ElementsAre("-error-log is given, so the error log is reprocessed; -source csv is "
                          "ignored"));
}

TEST_F(SettingsTest, ErrorLogOptionsReachTheRunOptions) {
  const EnvironmentLookup env = FakeEnvironment({});
  Result<Settings> merged = MergeSettings(WithConfig("{}", {}), env);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->config.run.error_log_format, "jsonl");
  EXPECT_FALSE(merged->config.run.error_log_all);
  merged = MergeSettings(WithConfig("{}", {"-error-log", "e.json", "-error-log-all",
                                           "-error-log-skip-torn", "-error-log-format", "Go"}),
                         env);
  ASSERT_TRUE(merged.ok());
  EXPECT_TRUE(merged->config.run.error_log_all);
  EXPECT_TRUE(merged->config.run.error_log_skip_torn);
  EXPECT_EQ(merged->config.run.error_log_format, "go");
}

TEST_F(SettingsTest, GenerateZeroMeansNoGeneration) {
  const EnvironmentLookup env = FakeEnvironment({});
  EXPECT_FALSE(MergeSettings(WithConfig("{}", {"-generate", "0"}), env)->config.run.generate_count);
  const Result<Settings> generate = BuildSettings(WithConfig("{}", {"-generate", "10"}), env);
  ASSERT_TRUE(generate.ok()) << generate.status().message();  // no vault URL or IDs needed
  EXPECT_EQ(generate->config.run.generate_count, 10);
  EXPECT_EQ(ConfigUseFor(generate->config.run), ConfigUse::kGenerate);
  EXPECT_EQ(BuildSettings(WithConfig("{}", {"-generate", "-3"}), env).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(SettingsTest, BuildSettingsValidates) {
  const EnvironmentLookup env = FakeEnvironment({});
  const Result<Settings> ok = BuildSettings(WithConfig(kFileConfig), env);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ConfigUseFor(ok->config.run), ConfigUse::kLoad);
  const Result<Settings> bad = BuildSettings(WithConfig(kFileConfig, {"-batch-size", "0"}), env);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(),
            "batch size must be at least 1 (got 0): set -batch-size or performance.batch_size");
  const Result<Settings> no_url = BuildSettings(WithConfig("{}", {"-vault", "name"}), env);
  EXPECT_THAT(no_url.status().message(), HasSubstr("the vault URL is not set"));
}

TEST_F(SettingsTest, ConfigFileWarningsAreReturned) {
  const Result<Settings> merged =
      MergeSettings(WithConfig(R"({"performance": {"batchsize": 3}})"), FakeEnvironment({}));
  ASSERT_TRUE(merged.ok());
  EXPECT_THAT(merged->warnings, ElementsAre(HasSubstr("unknown key \"performance.batchsize\"")));
}

TEST_F(SettingsTest, SecretsOthersCanReadAreWarnedAboutWithoutShowingThem) {
  CommandLine flags = WithConfig(kFileConfig, {"-token", "flag-secret-123"});
  ASSERT_EQ(::chmod((dir_.path() + "/config.json").c_str(), 0644), 0);
  Result<Settings> merged = MergeSettings(flags, FakeEnvironment({}));
  ASSERT_TRUE(merged.ok());
  EXPECT_THAT(merged->warnings, ElementsAre(HasSubstr("(mode 644): chmod 600"),
                                            HasSubstr("-token on the command line can be seen")));
  for (const std::string& warning : merged->warnings) {
    EXPECT_EQ(warning.find("flag-secret-123"), std::string::npos);
    EXPECT_EQ(warning.find("file-token"), std::string::npos);
  }

  ASSERT_EQ(::chmod((dir_.path() + "/config.json").c_str(), 0600), 0);
  merged = MergeSettings(WithConfig(kFileConfig), FakeEnvironment({}));
  ASSERT_TRUE(merged.ok());
  EXPECT_TRUE(merged->warnings.empty()) << merged->warnings.front();
}

TEST_F(SettingsTest, ExplicitConfigThatIsMissingIsAnError) {
  const Result<Settings> merged =
      MergeSettings(Flags({"-config", dir_.path() + "/nope.json"}), FakeEnvironment({}));
  EXPECT_EQ(merged.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(merged.status().message(), HasSubstr("nope.json"));
  EXPECT_THAT(merged.status().message(), HasSubstr("cp config.example.json"));
}

TEST_F(SettingsTest, ConfigErrorsPropagate) {
  const Result<Settings> merged =
      MergeSettings(WithConfig(R"({"performance": {"batch_size": "1"}})"), FakeEnvironment({}));
  EXPECT_EQ(merged.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(merged.status().message(), HasSubstr("performance.batch_size must be an integer"));
}

TEST_F(SettingsTest, MissingDefaultConfigFallsBackToDefaultsWithANote) {
  ScopedWorkingDirectory cwd(dir_.path());
  const Result<Settings> merged = MergeSettings(Flags({}), FakeEnvironment({}));
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(merged->config_path, "");
  EXPECT_THAT(merged->notes, ElementsAre(HasSubstr("no config.json in the current directory")));
  ASSERT_EQ(merged->config.skyflow.vaults.size(), 4u);
  EXPECT_EQ(merged->config.skyflow.vaults[0].name, "NAME");
  EXPECT_EQ(merged->config.performance.batch_size, 300);
}

TEST_F(SettingsTest, DefaultConfigInTheWorkingDirectoryIsRead) {
  dir_.Write("config.json", kFileConfig);
  ScopedWorkingDirectory cwd(dir_.path());
  const Result<Settings> merged = MergeSettings(Flags({}), FakeEnvironment({}));
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(merged->config_path, "config.json");
  EXPECT_THAT(merged->notes, IsEmpty());
  EXPECT_EQ(merged->config.performance.batch_size, 200);
}

TEST_F(SettingsTest, SecretsStayOutOfMessages) {
  const std::string secret_json = R"({"skyflow": {"bearer_token": "FILE-SECRET"},
                                      "snowflake": {"password": "PW-SECRET"},
                                      "performance": {"nope": 1}})";
  const EnvironmentLookup env = FakeEnvironment({{"SKYFLOW_BEARER_TOKEN", "ENV-SECRET"}});
  const Result<Settings> bad = BuildSettings(
      WithConfig(secret_json, {"-token", "FLAG-SECRET", "-sf-password", "PW2-SECRET", "-source",
                               "snowflake", "-sf-query-mode", "bad", "-batch-size", "0"}),
      env);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), Not(HasSubstr("SECRET")));
  const Result<Settings> merged =
      MergeSettings(WithConfig(secret_json, {"-token", "FLAG-SECRET"}), env);
  ASSERT_TRUE(merged.ok());
  for (const std::string& line : merged->warnings)
    EXPECT_THAT(line, Not(HasSubstr("SECRET")));
  for (const std::string& line : merged->notes)
    EXPECT_THAT(line, Not(HasSubstr("SECRET")));
  EXPECT_THAT(merged->bearer_token_origin, Not(HasSubstr("SECRET")));
}

TEST(ProcessEnvironmentTest, ReadsTheRealEnvironment) {
  ::setenv("SKYFLOW_SETTINGS_TEST_VARIABLE", "value", 1);
  const EnvironmentLookup env = ProcessEnvironment();
  EXPECT_EQ(env("SKYFLOW_SETTINGS_TEST_VARIABLE"), "value");
  ::unsetenv("SKYFLOW_SETTINGS_TEST_VARIABLE");
  EXPECT_EQ(env("SKYFLOW_SETTINGS_TEST_VARIABLE"), std::nullopt);
}

}  // namespace
}  // namespace skyflow
