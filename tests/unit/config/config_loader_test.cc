// Tests for config/config_loader.h: every key of config.json, warnings for
// unknown keys, type errors with JSON paths, and located syntax errors.
#include "config/config_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "util/utf8.h"

namespace skyflow {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// A directory of its own per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "config_test_XXXXXX").string();
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

LoaderConfig Defaults() {
  LoaderConfig config;
  config.skyflow.vaults = DefaultVaults();
  return config;
}

struct Loaded {
  Status status;
  LoaderConfig config;
  std::vector<std::string> warnings;
};

Loaded Apply(const std::string& json) {
  Loaded loaded{Status::Ok(), Defaults(), {}};
  loaded.status = ApplyConfigJson(json, "config.json", &loaded.config, &loaded.warnings);
  return loaded;
}

TEST(ConfigLoaderTest, LoadsEveryKey) {
  const Loaded loaded = Apply(R"({
    "skyflow": {
      "vault_url": "https://abc.vault.skyflowapis.com",
      "bearer_token": "file-token",
      "vaults": [
        {"name": "SSN", "id": "v-ssn", "column": "ssn", "table": "people",
         "data_file": "s.csv", "tokens_file": "st.csv", "value_header": "social",
         "token_header": "social_tok"},
        {"name": "DOB", "id": "v-dob", "column": "dob"}
      ]
    },
    "snowflake": {
      "user": "u", "password": "p", "authenticator": "SNOWFLAKE_JWT", "account": "ORG-ACC",
      "warehouse": "WH", "database": "DB", "schema": "S", "role": "R", "fetch_size": 5000,
      "query_mode": "union", "table": "T", "clm_table": "C", "mbr_table": "M"
    },
    "csv": {"data_directory": "/data/in"},
    "performance": {
      "batch_size": 100, "max_concurrency": 8, "max_records": 0, "append_suffix": true,
      "base_delay_ms": 5, "upsert": true, "max_attempts": 7, "request_timeout_ms": 1000,
      "retry_base_delay_ms": 10, "retry_max_delay_ms": 2000
    },
    "metrics": {"address": "127.0.0.1:9102"}
  })");
  ASSERT_TRUE(loaded.status.ok()) << loaded.status.ToString();
  EXPECT_THAT(loaded.warnings, IsEmpty());
  const LoaderConfig& c = loaded.config;
  EXPECT_EQ(c.skyflow.vault_url, "https://abc.vault.skyflowapis.com");
  EXPECT_EQ(c.skyflow.bearer_token, "file-token");
  ASSERT_EQ(c.skyflow.vaults.size(), 2u);
  const VaultConfig& ssn = c.skyflow.vaults[0];
  EXPECT_EQ(ssn.name, "SSN");
  EXPECT_EQ(ssn.id, "v-ssn");
  EXPECT_EQ(ssn.column, "ssn");
  EXPECT_EQ(ssn.table, "people");
  EXPECT_EQ(ssn.TableName(), "people");
  EXPECT_EQ(ssn.data_file, "s.csv");
  EXPECT_EQ(ssn.tokens_file, "st.csv");
  EXPECT_EQ(ssn.value_header, "social");
  EXPECT_EQ(ssn.token_header, "social_tok");
  EXPECT_EQ(c.skyflow.vaults[1].name, "DOB");
  EXPECT_EQ(c.skyflow.vaults[1].TableName(), "dob");
  EXPECT_EQ(c.snowflake.user, "u");
  EXPECT_EQ(c.snowflake.password, "p");
  EXPECT_EQ(c.snowflake.authenticator, "SNOWFLAKE_JWT");
  EXPECT_EQ(c.snowflake.account, "ORG-ACC");
  EXPECT_EQ(c.snowflake.warehouse, "WH");
  EXPECT_EQ(c.snowflake.database, "DB");
  EXPECT_EQ(c.snowflake.schema, "S");
  EXPECT_EQ(c.snowflake.role, "R");
  EXPECT_EQ(c.snowflake.fetch_size, 5000);
  EXPECT_EQ(c.snowflake.query_mode, "union");
  EXPECT_EQ(c.snowflake.table, "T");
  EXPECT_EQ(c.snowflake.clm_table, "C");
  EXPECT_EQ(c.snowflake.mbr_table, "M");
  EXPECT_EQ(c.csv.data_directory, "/data/in");
  EXPECT_EQ(c.performance.batch_size, 100);
  EXPECT_EQ(c.performance.max_concurrency, 8);
  EXPECT_EQ(c.performance.max_records, std::optional<int64_t>(0));
  EXPECT_TRUE(c.performance.append_suffix);
  EXPECT_EQ(c.performance.base_delay_ms, 5);
  EXPECT_TRUE(c.performance.upsert);
  EXPECT_EQ(c.performance.max_attempts, 7);
  EXPECT_EQ(c.performance.request_timeout_ms, 1000);
  EXPECT_EQ(c.performance.retry_base_delay_ms, 10);
  EXPECT_EQ(c.performance.retry_max_delay_ms, 2000);
  EXPECT_EQ(c.metrics.address, "127.0.0.1:9102");
}

TEST(ConfigLoaderTest, AbsentAndNullKeysKeepTheDefaults) {
  const Loaded loaded = Apply(R"({"performance": {"batch_size": null, "max_concurrency": 64},
                                  "snowflake": null})");
  ASSERT_TRUE(loaded.status.ok()) << loaded.status.ToString();
  const LoaderConfig defaults = Defaults();
  EXPECT_EQ(loaded.config.performance.batch_size, defaults.performance.batch_size);
  EXPECT_EQ(loaded.config.performance.max_concurrency, 64);
  EXPECT_FALSE(loaded.config.performance.max_records.has_value());
  EXPECT_EQ(loaded.config.snowflake.account, defaults.snowflake.account);
  ASSERT_EQ(loaded.config.skyflow.vaults.size(), 4u);
  EXPECT_EQ(loaded.config.skyflow.vaults[3].name, "SSN");
}

TEST(ConfigLoaderTest, EmptyObjectIsValid) {
  const Loaded loaded = Apply("{}");
  EXPECT_TRUE(loaded.status.ok());
  EXPECT_THAT(loaded.warnings, IsEmpty());
}

TEST(ConfigLoaderTest, KeysMatchCaseInsensitivelyLikeGo) {
  const Loaded loaded =
      Apply(R"({"Performance": {"Batch_Size": 50}, "SKYFLOW": {"Vault_URL": "x"}})");
  ASSERT_TRUE(loaded.status.ok()) << loaded.status.ToString();
  EXPECT_THAT(loaded.warnings, IsEmpty());
  EXPECT_EQ(loaded.config.performance.batch_size, 50);
  EXPECT_EQ(loaded.config.skyflow.vault_url, "x");
}

TEST(ConfigLoaderTest, WholeNumbersWrittenAsDecimalsAreAccepted) {
  const Loaded loaded =
      Apply(R"({"snowflake": {"fetch_size": 1e5}, "performance": {"batch_size": 300.0}})");
  ASSERT_TRUE(loaded.status.ok()) << loaded.status.ToString();
  EXPECT_EQ(loaded.config.snowflake.fetch_size, 100000);
  EXPECT_EQ(loaded.config.performance.batch_size, 300);
}

TEST(ConfigLoaderTest, UnknownKeyIsAWarningWithPathAndSuggestion) {
  const Loaded loaded = Apply(R"({"performance": {"batchsize": 10}})");
  ASSERT_TRUE(loaded.status.ok());
  EXPECT_THAT(loaded.warnings,
              ElementsAre("config.json: unknown key \"performance.batchsize\" (ignored); did you "
                          "mean \"batch_size\"?"));
  EXPECT_EQ(loaded.config.performance.batch_size, 300);
}

TEST(ConfigLoaderTest, UnknownKeysAtEveryLevel) {
  const Loaded loaded = Apply(R"({
    "performace": {},
    "skyflow": {"vaults": [{"name": "A", "colum": "a"}]},
    "concurrency": 3,
    "zzzzzz": 1
  })");
  ASSERT_TRUE(loaded.status.ok());
  EXPECT_THAT(
      loaded.warnings,
      ElementsAre(
          "config.json: unknown key \"performace\" (ignored); did you mean \"performance\"?",
          "config.json: unknown key \"skyflow.vaults[0].colum\" (ignored); did you mean "
          "\"column\"?",
          "config.json: unknown key \"concurrency\" (ignored)",
          "config.json: unknown key \"zzzzzz\" (ignored)"));
}

TEST(ConfigLoaderTest, SuggestsTheSectionKeyThatContainsTheWord) {
  const Loaded loaded = Apply(R"({"performance": {"concurrency": 3}})");
  EXPECT_THAT(loaded.warnings, ElementsAre(HasSubstr("did you mean \"max_concurrency\"?")));
}

TEST(ConfigLoaderTest, DuplicateKeyWarnsAndTheLastWins) {
  const Loaded loaded = Apply(R"({"performance": {"batch_size": 10, "batch_size": 20}})");
  ASSERT_TRUE(loaded.status.ok());
  EXPECT_EQ(loaded.config.performance.batch_size, 20);
  EXPECT_THAT(loaded.warnings,
              ElementsAre("config.json: key \"performance.batch_size\" appears more than once; "
                          "the last one is used"));
}

TEST(ConfigLoaderTest, StringForIntegerNamesThePath) {
  const Loaded loaded = Apply(R"({"performance": {"batch_size": "300"}})");
  EXPECT_EQ(loaded.status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(loaded.status.message(),
            "config.json: performance.batch_size must be an integer, got string \"300\"");
}

TEST(ConfigLoaderTest, NegativeFractionalAndHugeIntegersAreRejected) {
  EXPECT_EQ(Apply(R"({"performance": {"max_concurrency": -1}})").status.message(),
            "config.json: performance.max_concurrency must not be negative, got number -1");
  EXPECT_EQ(Apply(R"({"performance": {"max_records": 2.5}})").status.message(),
            "config.json: performance.max_records must be a whole number, got number 2.5");
  EXPECT_EQ(Apply(R"({"snowflake": {"fetch_size": 18446744073709551615}})").status.message(),
            "config.json: snowflake.fetch_size is too large, got number 18446744073709551615");
  EXPECT_EQ(Apply(R"({"performance": {"batch_size": 1e300}})").status.message(),
            "config.json: performance.batch_size is too large, got number 1e+300");
  EXPECT_EQ(Apply(R"({"performance": {"batch_size": true}})").status.message(),
            "config.json: performance.batch_size must be an integer, got boolean true");
}

TEST(ConfigLoaderTest, WrongTypesForStringsBooleansAndSections) {
  EXPECT_EQ(Apply(R"({"performance": {"upsert": "yes"}})").status.message(),
            "config.json: performance.upsert must be true or false, got string \"yes\"");
  EXPECT_EQ(Apply(R"({"skyflow": {"vault_url": 5}})").status.message(),
            "config.json: skyflow.vault_url must be a string, got number 5");
  EXPECT_EQ(Apply(R"({"performance": [1]})").status.message(),
            "config.json: performance must be an object, got an array");
  EXPECT_EQ(Apply(R"({"skyflow": {"vaults": {"name": "x"}}})").status.message(),
            "config.json: skyflow.vaults must be an array of vault objects, got an object");
  EXPECT_EQ(Apply(R"({"skyflow": {"vaults": [{"name": "A"}, "B"]}})").status.message(),
            "config.json: skyflow.vaults[1] must be an object, got string \"B\"");
  EXPECT_EQ(Apply(R"({"skyflow": {"vaults": [{"id": 7}]}})").status.message(),
            "config.json: skyflow.vaults[0].id must be a string, got number 7");
  EXPECT_EQ(Apply(R"([1, 2])").status.message(),
            "config.json: the top level must be a JSON object {...}, got an array");
}

TEST(ConfigLoaderTest, SecretValuesNeverAppearInTypeErrors) {
  const Status token = Apply(R"({"skyflow": {"bearer_token": 98765}})").status;
  EXPECT_EQ(token.message(), "config.json: skyflow.bearer_token must be a string, got a number");
  const Status password = Apply(R"({"snowflake": {"password": ["hunter2"]}})").status;
  EXPECT_THAT(password.message(), Not(HasSubstr("hunter2")));
  const Status bool_password = Apply(R"({"snowflake": {"password": true}})").status;
  EXPECT_EQ(bool_password.message(),
            "config.json: snowflake.password must be a string, got a boolean");
}

TEST(ConfigLoaderTest, LongStringsAreShortenedInMessages) {
  const std::string long_value(200, 'x');
  const Status status = Apply(R"({"performance": {"batch_size": ")" + long_value + R"("}})").status;
  EXPECT_THAT(status.message(), HasSubstr(std::string(60, 'x') + "...\""));
  EXPECT_THAT(status.message(), Not(HasSubstr(std::string(61, 'x'))));
}

// Found with the config_loader fuzz target's UTF-8 property: the 60-byte cut
// could fall inside a character and leave half of it in the message.
TEST(ConfigLoaderTest, LongStringsAreShortenedBetweenCharacters) {
  std::string long_value = "a";
  for (int i = 0; i < 40; ++i)
    long_value += "\xC3\xA9";  // é
  const Status status = Apply(R"({"performance": {"batch_size": ")" + long_value + R"("}})").status;
  EXPECT_EQ(FindInvalidUtf8(status.message()), std::nullopt) << status.message();
  EXPECT_THAT(status.message(), HasSubstr(long_value.substr(0, 59) + "...\""));
}

TEST(ConfigLoaderTest, ErrorLeavesTheConfigUnchanged) {
  LoaderConfig config = Defaults();
  std::vector<std::string> warnings;
  const Status status = ApplyConfigJson(R"({"skyflow": {"vault_url": "https://x"}, "unknown": 1,)"
                                        R"( "performance": {"batch_size": "1"}})",
                                        "config.json", &config, &warnings);
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(config.skyflow.vault_url, "");
  EXPECT_THAT(warnings, IsEmpty());
}

struct SyntaxCase {
  const char* json;
  const char* expected;
};

class ConfigSyntaxErrorTest : public ::testing::TestWithParam<SyntaxCase> {};

TEST_P(ConfigSyntaxErrorTest, ReportsLineColumnAndReason) {
  const Loaded loaded = Apply(GetParam().json);
  EXPECT_EQ(loaded.status.code(), StatusCode::kParseError);
  EXPECT_EQ(loaded.status.message(), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ConfigSyntaxErrorTest,
    ::testing::Values(
        SyntaxCase{"{\n  \"csv\": {\"data_directory\": \"d\",}\n}",
                   "config.json:2:32: invalid JSON: trailing comma before '}': JSON does not "
                   "allow one"},
        SyntaxCase{"{\n  \"a\": 1\n  \"b\": 2\n}",
                   "config.json:3:3: invalid JSON: expected ',' or '}' after an object member, "
                   "found '\"' (a missing comma?)"},
        SyntaxCase{"{\n  // comment\n}",
                   "config.json:2:3: invalid JSON: comments are not allowed in JSON"},
        SyntaxCase{"{'a': 1}",
                   "config.json:1:2: invalid JSON: strings must be in double quotes, not single "
                   "quotes"},
        SyntaxCase{
            "{\"a\": [1, 2,]}",
            "config.json:1:12: invalid JSON: trailing comma before ']': JSON does not allow one"},
        SyntaxCase{"{\"a\": \"unterminated\n}",
                   "config.json:1:20: invalid JSON: line break inside a string (a missing "
                   "closing double quote?)"},
        SyntaxCase{"{\n  \"a\": {\n    \"b\": 1\n",
                   "config.json:4:1: invalid JSON: unexpected end of the file: the object opened "
                   "at line 2, column 8 is not closed with '}'"},
        SyntaxCase{"{\"a\": 01}",
                   "config.json:1:7: invalid JSON: numbers must not have leading zeros"},
        SyntaxCase{"{\"a\": tru}",
                   "config.json:1:7: invalid JSON: unquoted text: expected true, or a string in "
                   "double quotes"},
        SyntaxCase{"{\"a\" 1}",
                   "config.json:1:6: invalid JSON: expected ':' after the key, found '1'"},
        SyntaxCase{
            "{a: 1}",
            "config.json:1:2: invalid JSON: unquoted text: strings must be in double quotes"},
        SyntaxCase{"{} }",
                   "config.json:1:4: invalid JSON: unexpected '}' after the end of the JSON "
                   "document (an extra '}' or a missing '{'?)"},
        SyntaxCase{"{\"a\": \"\\x\"}",
                   "config.json:1:8: invalid JSON: invalid escape sequence \\x (write a "
                   "backslash as \\\\)"},
        SyntaxCase{"  \n ",
                   "config.json:1:1: invalid JSON: the file is empty: expected a JSON "
                   "object like config.example.json"},
        SyntaxCase{"{\"a\": \"caf\xC3\"}\n",
                   "config.json:1:11: invalid JSON: the file is not valid UTF-8; save it as "
                   "UTF-8"}));

// Found by the config_loader fuzz target: JSON that the parser refuses for
// a number out of its range or half a surrogate pair gave an error without a
// line and column.
TEST(ConfigLoaderTest, NumbersOutOfRangeAndLoneSurrogatesAreLocated) {
  const Status number = Apply("{\n  \"performance\": {\"batch_size\": 1e400}\n}").status;
  EXPECT_EQ(number.code(), StatusCode::kParseError);
  EXPECT_THAT(number.message(), ::testing::StartsWith("config.json:2:33: invalid JSON: number out "
                                                      "of range"));
  const Status surrogate = Apply(R"({"csv": {"data_directory": "\ud800"}})").status;
  EXPECT_EQ(surrogate.code(), StatusCode::kParseError);
  EXPECT_THAT(surrogate.message(),
              ::testing::StartsWith("config.json:1:29: invalid JSON: \\ud800"));
}

TEST(ConfigLoaderTest, ByteOrderMarkIsIgnored) {
  const Loaded loaded = Apply("\xEF\xBB\xBF{\"csv\": {\"data_directory\": \"d\"}}");
  ASSERT_TRUE(loaded.status.ok()) << loaded.status.ToString();
  EXPECT_EQ(loaded.config.csv.data_directory, "d");
}

TEST(ConfigLoaderTest, LoadsAFile) {
  TempDir dir;
  const std::string path = dir.Write("my.json", R"({"csv": {"data_directory": "x"}, "extra": 1})");
  LoaderConfig config = Defaults();
  std::vector<std::string> warnings;
  ASSERT_TRUE(LoadConfigFile(path, &config, &warnings).ok());
  EXPECT_EQ(config.csv.data_directory, "x");
  EXPECT_THAT(warnings, ElementsAre(path + ": unknown key \"extra\" (ignored)"));
}

TEST(ConfigLoaderTest, FileErrorsNameTheFile) {
  TempDir dir;
  const std::string path = dir.Write("bad.json", "{\n\"a\": }");
  LoaderConfig config = Defaults();
  const Status status = LoadConfigFile(path, &config, nullptr);
  EXPECT_EQ(status.code(), StatusCode::kParseError);
  EXPECT_THAT(status.message(), HasSubstr(path + ":2:6: invalid JSON: expected a value"));
}

TEST(ConfigLoaderTest, MissingFileIsNotFoundWithAHint) {
  TempDir dir;
  const std::string path = dir.path() + "/absent.json";
  LoaderConfig config = Defaults();
  const Status status = LoadConfigFile(path, &config, nullptr);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr(path));
  EXPECT_THAT(status.message(), HasSubstr("cp config.example.json " + path));
}

TEST(ConfigLoaderTest, DirectoryIsAnIoError) {
  TempDir dir;
  LoaderConfig config = Defaults();
  const Status status = LoadConfigFile(dir.path(), &config, nullptr);
  EXPECT_EQ(status.code(), StatusCode::kIoError);
  EXPECT_THAT(status.message(), HasSubstr("is a directory"));
}

TEST(ConfigLoaderTest, ExampleConfigLoadsWithoutWarnings) {
#ifndef SKYFLOW_SOURCE_DIR
  GTEST_SKIP() << "SKYFLOW_SOURCE_DIR not defined for this build";
#else
  LoaderConfig config = Defaults();
  std::vector<std::string> warnings;
  const Status status =
      LoadConfigFile(std::string(SKYFLOW_SOURCE_DIR) + "/config.example.json", &config, &warnings);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_THAT(warnings, IsEmpty());
  ASSERT_EQ(config.skyflow.vaults.size(), 4u);
  const char* names[] = {"NAME", "ID", "DOB", "SSN"};
  const char* columns[] = {"name", "id", "dob", "ssn"};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(config.skyflow.vaults[i].name, names[i]);
    EXPECT_EQ(config.skyflow.vaults[i].column, columns[i]);
    EXPECT_FALSE(config.skyflow.vaults[i].id.empty());
  }
  EXPECT_EQ(config.performance.batch_size, 300);
  EXPECT_EQ(config.performance.max_concurrency, 32);
#endif
}

TEST(ClosestMatchTest, SuggestsOnlyPlausibleTypos) {
  const std::vector<std::string_view> keys = {"batch_size", "max_concurrency", "max_records",
                                              "upsert"};
  EXPECT_EQ(ClosestMatch("batchsize", keys), "batch_size");
  EXPECT_EQ(ClosestMatch("Batch-Size", keys), "batch_size");
  EXPECT_EQ(ClosestMatch("max_record", keys), "max_records");
  EXPECT_EQ(ClosestMatch("upsret", keys), "upsert");
  EXPECT_EQ(ClosestMatch("concurrency", keys), "max_concurrency");
  EXPECT_EQ(ClosestMatch("colour", keys), std::nullopt);
  EXPECT_EQ(ClosestMatch("ab", {"id", "ab_c"}), std::nullopt);
  EXPECT_EQ(ClosestMatch("x", {}), std::nullopt);
}

}  // namespace
}  // namespace skyflow

namespace skyflow {
namespace {

TEST(ConfigLoaderTest, LoadsVaultQueriesAndThePostgresDsnWithoutEchoingIt) {
  const Loaded loaded = Apply(R"({
    "skyflow": {"vaults": [{"name": "SSN", "column": "ssn",
                            "query": "SELECT ssn, ssn_token FROM poc.mbr"}]},
    "postgres": {"dsn": "host=db user=loader password=pw-9f2"}
  })");
  ASSERT_TRUE(loaded.status.ok()) << loaded.status.message();
  EXPECT_TRUE(loaded.warnings.empty());
  ASSERT_EQ(loaded.config.skyflow.vaults.size(), 1u);
  EXPECT_EQ(loaded.config.skyflow.vaults[0].query, "SELECT ssn, ssn_token FROM poc.mbr");
  EXPECT_EQ(loaded.config.postgres.dsn, "host=db user=loader password=pw-9f2");

  // The DSN is a secret: a wrong type names the key, not the value.
  const Loaded wrong = Apply(R"({"postgres": {"dsn": ["host=db password=pw-9f2"]}})");
  EXPECT_FALSE(wrong.status.ok());
  EXPECT_NE(wrong.status.message().find("postgres.dsn"), std::string::npos);
  EXPECT_EQ(wrong.status.message().find("pw-9f2"), std::string::npos);
}

}  // namespace
}  // namespace skyflow
