// Tests for app/flags.h: Go flag-package syntax, the errors it produces, that
// secrets stay out of them, and the help text generated from the registry.
#include "app/flags.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "app/exit_codes.h"

namespace skyflow {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

Result<CommandLine> Parse(std::vector<std::string> args) {
  return ParseCommandLine(std::span<const std::string>(args));
}

std::string ErrorOf(std::vector<std::string> args) {
  const Result<CommandLine> parsed = Parse(std::move(args));
  EXPECT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  return parsed.status().message();
}

TEST(FlagsTest, NothingGivenMeansEverythingUnset) {
  const Result<CommandLine> parsed = Parse({});
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->help_requested);
  EXPECT_FALSE(parsed->config_path.has_value());
  EXPECT_FALSE(parsed->batch_size.has_value());
  EXPECT_FALSE(parsed->upsert.has_value());
  EXPECT_FALSE(parsed->seed.has_value());
}

TEST(FlagsTest, AllFourSpellingsOfAValueFlag) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"-vault-url", "https://a"},
                                             {"-vault-url=https://a"},
                                             {"--vault-url", "https://a"},
                                             {"--vault-url=https://a"}}) {
    const Result<CommandLine> parsed = Parse(args);
    ASSERT_TRUE(parsed.ok()) << args[0];
    EXPECT_EQ(parsed->vault_url, "https://a") << args[0];
  }
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"-batch-size", "50"},
                                             {"-batch-size=50"},
                                             {"--batch-size", "50"},
                                             {"--batch-size=50"}}) {
    const Result<CommandLine> parsed = Parse(args);
    ASSERT_TRUE(parsed.ok()) << args[0];
    EXPECT_EQ(parsed->batch_size, 50) << args[0];
  }
}

TEST(FlagsTest, ValueAfterEqualsMayContainEqualsAndBeEmpty) {
  const Result<CommandLine> parsed = Parse({"-token=a=b==", "-vault="});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->token, "a=b==");
  EXPECT_EQ(parsed->vault, "");
}

TEST(FlagsTest, BooleanForms) {
  struct Case {
    std::string arg;
    bool expected;
  };
  for (const Case& c : std::vector<Case>{{"-upsert", true},
                                         {"--upsert", true},
                                         {"-upsert=true", true},
                                         {"-upsert=false", false},
                                         {"-upsert=1", true},
                                         {"-upsert=0", false},
                                         {"-upsert=t", true},
                                         {"-upsert=f", false},
                                         {"-upsert=T", true},
                                         {"-upsert=F", false},
                                         {"-upsert=TRUE", true},
                                         {"-upsert=FALSE", false},
                                         {"-upsert=True", true},
                                         {"--upsert=False", false}}) {
    const Result<CommandLine> parsed = Parse({c.arg});
    ASSERT_TRUE(parsed.ok()) << c.arg << ": " << parsed.status().message();
    EXPECT_EQ(parsed->upsert, c.expected) << c.arg;
  }
}

TEST(FlagsTest, BooleanRejectsOtherValues) {
  EXPECT_EQ(ErrorOf({"-upsert=yes"}),
            "invalid boolean value \"yes\" for -upsert: use true or false, as in -upsert=false");
  EXPECT_THAT(ErrorOf({"-clear="}), HasSubstr("invalid boolean value \"\" for -clear"));
}

TEST(FlagsTest, BooleanWithSeparateValueIsExplained) {
  EXPECT_EQ(ErrorOf({"-upsert", "false"}),
            "unexpected argument \"false\" after -upsert: a boolean flag takes its value after "
            "'=', as in -upsert=false");
}

TEST(FlagsTest, EveryKindIsStored) {
  const Result<CommandLine> parsed = Parse({"-config",
                                            "c.json",
                                            "-token",
                                            "tok",
                                            "-source",
                                            "snowflake",
                                            "-error-log",
                                            "e.json",
                                            "-vault",
                                            "ssn",
                                            "-data-dir",
                                            "d",
                                            "-sf-user",
                                            "u",
                                            "-sf-password",
                                            "p",
                                            "-sf-authenticator",
                                            "SNOWFLAKE_JWT",
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
                                            "generic",
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
                                            "-generate",
                                            "11",
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
                                            "-resume",
                                            "-drain-timeout",
                                            "5s",
                                            "-summary-json",
                                            "s.json",
                                            "-yes",
                                            "-ca-file",
                                            "ca.pem",
                                            "-insecure"});
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const CommandLine& c = *parsed;
  EXPECT_EQ(c.config_path, "c.json");
  EXPECT_EQ(c.token, "tok");
  EXPECT_EQ(c.source, "snowflake");
  EXPECT_EQ(c.error_log, "e.json");
  EXPECT_EQ(c.vault, "ssn");
  EXPECT_EQ(c.data_dir, "d");
  EXPECT_EQ(c.sf_user, "u");
  EXPECT_EQ(c.sf_password, "p");
  EXPECT_EQ(c.sf_authenticator, "SNOWFLAKE_JWT");
  EXPECT_EQ(c.sf_account, "A");
  EXPECT_EQ(c.sf_warehouse, "W");
  EXPECT_EQ(c.sf_database, "D");
  EXPECT_EQ(c.sf_schema, "S");
  EXPECT_EQ(c.sf_role, "R");
  EXPECT_EQ(c.sf_fetch_size, 10);
  EXPECT_EQ(c.sf_query_mode, "generic");
  EXPECT_EQ(c.sf_table, "T");
  EXPECT_EQ(c.sf_clm_table, "C");
  EXPECT_EQ(c.sf_mbr_table, "M");
  EXPECT_EQ(c.start_record, 5);
  EXPECT_EQ(c.end_record, 9);
  EXPECT_EQ(c.batch_size, 7);
  EXPECT_EQ(c.concurrency, 3);
  EXPECT_EQ(c.max_records, 0);
  EXPECT_EQ(c.append_suffix, true);
  EXPECT_EQ(c.base_delay_ms, 2);
  EXPECT_EQ(c.upsert, true);
  EXPECT_EQ(c.generate, 11);
  EXPECT_EQ(c.clear, true);
  EXPECT_EQ(c.offline, true);
  EXPECT_EQ(c.seed, 42u);
  EXPECT_EQ(c.max_attempts, 4);
  EXPECT_EQ(c.request_timeout_ms, 900);
  EXPECT_EQ(c.retry_base_delay_ms, 20);
  EXPECT_EQ(c.retry_max_delay_ms, 800);
  EXPECT_EQ(c.run_dir, "runs/a");
  EXPECT_EQ(c.resume, true);
  EXPECT_EQ(c.drain_timeout, "5s");
  EXPECT_EQ(c.summary_json, "s.json");
  EXPECT_EQ(c.yes, true);
  EXPECT_EQ(c.ca_file, "ca.pem");
  EXPECT_EQ(c.insecure, true);
}

TEST(FlagsTest, LastValueWins) {
  const Result<CommandLine> parsed =
      Parse({"-batch-size", "1", "-batch-size=2", "-upsert", "-upsert=false"});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->batch_size, 2);
  EXPECT_EQ(parsed->upsert, false);
}

TEST(FlagsTest, IntegerParsing) {
  EXPECT_EQ(Parse({"-start-record", "-5"})->start_record, -5);
  EXPECT_EQ(Parse({"-batch-size=+5"})->batch_size, 5);
  EXPECT_EQ(Parse({"-batch-size", "0300"})->batch_size, 300);
  EXPECT_EQ(ErrorOf({"-batch-size", "abc"}),
            "invalid value \"abc\" for flag -batch-size: must be an integer");
  EXPECT_EQ(ErrorOf({"-batch-size=5x"}),
            "invalid value \"5x\" for flag -batch-size: must be an integer");
  EXPECT_EQ(ErrorOf({"-batch-size=1.5"}),
            "invalid value \"1.5\" for flag -batch-size: must be an integer");
  EXPECT_EQ(ErrorOf({"-batch-size=+-5"}),
            "invalid value \"+-5\" for flag -batch-size: must be an integer");
  EXPECT_EQ(ErrorOf({"-batch-size="}),
            "invalid value \"\" for flag -batch-size: must be an integer");
  EXPECT_EQ(ErrorOf({"-concurrency", "99999999999999999999"}),
            "invalid value \"99999999999999999999\" for flag -concurrency: out of range");
  EXPECT_EQ(ErrorOf({"-seed", "-1"}),
            "invalid value \"-1\" for flag -seed: must be a non-negative integer");
  EXPECT_EQ(Parse({"-seed", "18446744073709551615"})->seed, UINT64_MAX);
}

TEST(FlagsTest, UnknownFlagSaysSoAndSuggests) {
  EXPECT_EQ(ErrorOf({"-foo"}), "flag provided but not defined: -foo");
  EXPECT_EQ(ErrorOf({"-batchsize", "5"}),
            "flag provided but not defined: -batchsize (did you mean -batch-size?)");
  EXPECT_EQ(ErrorOf({"--max_records=5"}),
            "flag provided but not defined: -max_records (did you mean -max-records?)");
  EXPECT_EQ(ErrorOf({"-hlp"}), "flag provided but not defined: -hlp (did you mean -help?)");
}

TEST(FlagsTest, MissingValue) {
  EXPECT_EQ(ErrorOf({"-token"}), "flag needs an argument: -token");
  EXPECT_EQ(ErrorOf({"-batch-size"}), "flag needs an argument: -batch-size");
  EXPECT_EQ(ErrorOf({"-token", "-source", "csv"}),
            "flag needs an argument: -token (the next argument, -source, is a flag)");
  EXPECT_EQ(ErrorOf({"-sf-password", "--upsert=true"}),
            "flag needs an argument: -sf-password (the next argument, --upsert, is a flag)");
}

TEST(FlagsTest, ValueThatLooksLikeAnUnknownFlagIsAValue) {
  const Result<CommandLine> parsed = Parse({"-sf-password", "-p4ss", "-vault", "-x"});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->sf_password, "-p4ss");
  EXPECT_EQ(parsed->vault, "-x");
}

TEST(FlagsTest, PositionalArgumentsAreErrors) {
  EXPECT_EQ(ErrorOf({"load"}),
            "unexpected argument \"load\": the loader takes only flags (see -help)");
  EXPECT_EQ(ErrorOf({"-vault", "name", "extra"}),
            "unexpected argument \"extra\": the loader takes only flags (see -help)");
  EXPECT_EQ(ErrorOf({"upsert"}),
            "unexpected argument \"upsert\": the loader takes only flags (did you mean -upsert?)");
  EXPECT_EQ(ErrorOf({"-"}), "unexpected argument \"-\": the loader takes only flags (see -help)");
  EXPECT_EQ(
      ErrorOf({"--", "-upsert"}),
      "unexpected argument \"-upsert\" after \"--\": the loader takes only flags (see -help)");
}

TEST(FlagsTest, DoubleDashEndsFlags) {
  const Result<CommandLine> parsed = Parse({"-upsert", "--"});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->upsert, true);
}

TEST(FlagsTest, BadSyntax) {
  EXPECT_EQ(ErrorOf({"---upsert"}), "bad flag syntax: ---upsert");
  EXPECT_EQ(ErrorOf({"-=x"}), "bad flag syntax: -");
}

TEST(FlagsTest, HelpInEverySpelling) {
  for (const char* arg : {"-h", "-help", "--help", "--h"}) {
    const Result<CommandLine> parsed = Parse({"-upsert", arg, "-no-such-flag"});
    ASSERT_TRUE(parsed.ok()) << arg;
    EXPECT_TRUE(parsed->help_requested) << arg;
  }
}

TEST(FlagsTest, SecretsNeverAppearInErrors) {
  const std::string secret = "S3CRET-VALUE";
  const std::vector<std::vector<std::string>> cases = {
      {"-token=" + secret, "more"},
      {"-token", secret, "more"},
      {"-sf-password", "part1", secret},
      {"-sf-password=part1", secret},
      {"---token=" + secret},
      {"-tokn=" + secret},
      {"--sf-pasword=" + secret},
      {"-token=" + secret, "-batch-size", "x"},
  };
  for (const std::vector<std::string>& args : cases) {
    const std::string message = ErrorOf(args);
    EXPECT_THAT(message, Not(HasSubstr(secret))) << message;
    EXPECT_THAT(message, Not(HasSubstr("more"))) << message;
  }
  EXPECT_EQ(ErrorOf({"-token", secret, "more"}),
            "unexpected argument after the value of -token (not shown: it may be part of the "
            "secret); quote a value that contains spaces");
}

TEST(FlagsTest, ArgvOverloadSkipsTheProgramName) {
  const char* argv[] = {"skyflow-loader", "-vault", "name", "-upsert"};
  const Result<CommandLine> parsed = ParseCommandLine(4, argv);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->vault, "name");
  EXPECT_EQ(parsed->upsert, true);
}

TEST(FlagRegistryTest, HasEveryFlagOnceWithItsKind) {
  const std::vector<std::pair<std::string, bool>> expected = {{"config", false},
                                                              {"token", false},
                                                              {"token-file", false},
                                                              {"source", false},
                                                              {"error-log", false},
                                                              {"error-log-all", true},
                                                              {"error-log-skip-torn", true},
                                                              {"error-log-format", false},
                                                              {"log-format", false},
                                                              {"verbose", true},
                                                              {"quiet", true},
                                                              {"vault", false},
                                                              {"vault-url", false},
                                                              {"pg-dsn", false},
                                                              {"target", false},
                                                              {"target-schema", false},
                                                              {"data-dir", false},
                                                              {"sf-user", false},
                                                              {"sf-password", false},
                                                              {"sf-authenticator", false},
                                                              {"sf-account", false},
                                                              {"sf-warehouse", false},
                                                              {"sf-database", false},
                                                              {"sf-schema", false},
                                                              {"sf-role", false},
                                                              {"sf-fetch-size", false},
                                                              {"sf-query-mode", false},
                                                              {"sf-table", false},
                                                              {"sf-clm-table", false},
                                                              {"sf-mbr-table", false},
                                                              {"sf-udf-database", false},
                                                              {"sf-udf-schema", false},
                                                              {"sf-url", false},
                                                              {"sf-private-key-file", false},
                                                              {"sf-prefetch", false},
                                                              {"start-record", false},
                                                              {"end-record", false},
                                                              {"batch-size", false},
                                                              {"concurrency", false},
                                                              {"max-records", false},
                                                              {"append-suffix", true},
                                                              {"base-delay-ms", false},
                                                              {"upsert", true},
                                                              {"generate", false},
                                                              {"clear", true},
                                                              {"clear-all", true},
                                                              {"offline", true},
                                                              {"seed", false},
                                                              {"max-attempts", false},
                                                              {"max-retry-time", false},
                                                              {"max-field-bytes", false},
                                                              {"concurrency-mode", false},
                                                              {"api", false},
                                                              {"request-timeout-ms", false},
                                                              {"retry-base-delay-ms", false},
                                                              {"retry-max-delay-ms", false},
                                                              {"run-dir", false},
                                                              {"resume", true},
                                                              {"drain-timeout", false},
                                                              {"summary-json", false},
                                                              {"metrics-addr", false},
                                                              {"yes", true},
                                                              {"dry-run", true},
                                                              {"ca-file", false},
                                                              {"insecure", true},
                                                              {"verify", true},
                                                              {"sample", false},
                                                              {"verify-report", false}};
  for (const auto& [name, is_bool] : expected) {
    const FlagSpec* flag = FindFlag(name);
    ASSERT_NE(flag, nullptr) << name;
    EXPECT_EQ(flag->IsBool(), is_bool) << name;
    EXPECT_EQ(flag->value_name.empty(), is_bool) << name;
  }
  EXPECT_EQ(FlagRegistry().size(), expected.size());
  std::set<std::string> names;
  for (const FlagSpec& flag : FlagRegistry())
    EXPECT_TRUE(names.insert(flag.name).second) << flag.name;
  EXPECT_TRUE(FindFlag("token")->secret);
  EXPECT_TRUE(FindFlag("sf-password")->secret);
  EXPECT_TRUE(FindFlag("pg-dsn")->secret);
  EXPECT_TRUE(FindFlag("target")->secret);
  EXPECT_FALSE(FindFlag("sf-user")->secret);
}

TEST(FlagRegistryTest, DocumentedDefaults) {
  EXPECT_EQ(FindFlag("config")->default_text, "config.json");
  EXPECT_EQ(FindFlag("source")->default_text, "csv");
  EXPECT_EQ(FindFlag("data-dir")->default_text, "data");
  EXPECT_EQ(FindFlag("sf-account")->default_text, "JYSROBN-PROVIDER_1");
  EXPECT_EQ(FindFlag("sf-warehouse")->default_text, "APP_WH");
  EXPECT_EQ(FindFlag("sf-database")->default_text, "SKYFLOW_DEMO");
  EXPECT_EQ(FindFlag("sf-schema")->default_text, "PUBLIC");
  EXPECT_EQ(FindFlag("sf-role")->default_text, "ACCOUNTADMIN");
  EXPECT_EQ(FindFlag("sf-fetch-size")->default_text, "100000");
  EXPECT_EQ(FindFlag("sf-query-mode")->default_text, "simple");
  EXPECT_EQ(FindFlag("sf-table")->default_text, "ELEVANCE.PUBLIC.PATIENTS");
  EXPECT_EQ(FindFlag("batch-size")->default_text, "300");
  EXPECT_EQ(FindFlag("concurrency")->default_text, "32");
  EXPECT_EQ(FindFlag("max-attempts")->default_text, "5");
  EXPECT_EQ(FindFlag("request-timeout-ms")->default_text, "60000");
  EXPECT_EQ(FindFlag("seed")->default_text, "1");
  EXPECT_EQ(FindFlag("error-log-format")->default_text, "jsonl");
}

TEST(FlagsTest, VerifyIsALeadingWordOrAFlag) {
  const Result<CommandLine> word = Parse({"verify", "-vault", "name", "-sample", "20"});
  ASSERT_TRUE(word.ok()) << word.status().message();
  EXPECT_EQ(word->verify, true);
  EXPECT_EQ(word->vault, "name");
  EXPECT_EQ(word->sample, 20);
  const Result<CommandLine> flag = Parse({"-verify", "-verify-report", "out.jsonl"});
  ASSERT_TRUE(flag.ok());
  EXPECT_EQ(flag->verify, true);
  EXPECT_EQ(flag->verify_report, "out.jsonl");
  EXPECT_FALSE(Parse({"-vault", "name"})->verify.has_value());
  // Only first: anywhere else it is a stray argument, with a hint.
  EXPECT_THAT(ErrorOf({"-vault", "name", "verify"}), HasSubstr("the command word comes first"));
  EXPECT_THAT(ErrorOf({"verify", "verify"}), HasSubstr("the command word comes first"));
  EXPECT_THAT(ErrorOf({"--", "verify"}), HasSubstr("after \"--\""));
  EXPECT_THAT(ErrorOf({"verfy"}), HasSubstr("unexpected argument \"verfy\""));
  EXPECT_THAT(ErrorOf({"-sampel", "3"}), HasSubstr("did you mean -sample?"));
  EXPECT_THAT(ErrorOf({"verify", "-verify=false"}), HasSubstr("contradict"));
  EXPECT_EQ(Parse({"verify", "-verify"})->verify, true);
}

TEST(FlagsTest, StatusIsALeadingWordTakingOnlyTheRunDirectory) {
  const Result<CommandLine> bare = Parse({"status"});
  ASSERT_TRUE(bare.ok()) << bare.status().message();
  EXPECT_TRUE(bare->status);
  EXPECT_FALSE(bare->run_dir.has_value());
  const Result<CommandLine> with_dir = Parse({"status", "--run-dir=skyflow-run_1"});
  ASSERT_TRUE(with_dir.ok());
  EXPECT_TRUE(with_dir->status);
  EXPECT_EQ(with_dir->run_dir, "skyflow-run_1");
  EXPECT_FALSE(Parse({"-run-dir", "d"})->status);
  EXPECT_THAT(ErrorOf({"status", "-vault", "name"}),
              HasSubstr("status takes only -run-dir (not -vault)"));
  EXPECT_THAT(ErrorOf({"-run-dir", "d", "status"}), HasSubstr("unexpected argument \"status\""));
  EXPECT_TRUE(Parse({"status", "-help"})->help_requested);
  EXPECT_THAT(HelpText("skyflow-loader"), HasSubstr("skyflow-loader status [-run-dir DIR]"));
}

TEST(FlagsTest, MetricsAddressIsAStringFlag) {
  const Result<CommandLine> parsed = Parse({"-metrics-addr", "127.0.0.1:0"});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->metrics_addr, "127.0.0.1:0");
}

TEST(HelpTextTest, ListsGroupsFlagsExitCodesAndEnvironment) {
  const std::string help = HelpText("skyflow-loader");
  EXPECT_THAT(help, StartsWith("Usage: skyflow-loader [flags]\n"
                               "       skyflow-loader verify [flags]\n"));
  size_t last = 0;
  for (const char* section :
       {"\nCore:\n", "\nCSV source:\n", "\nSnowflake source:\n", "\nPerformance:\n",
        "\nReliability:\n", "\nOutput:\n", "\nUtility:\n",
        "\nVerify (skyflow-loader verify [flags]):\n", "\nEXIT CODES\n", "\nENVIRONMENT\n"}) {
    const size_t at = help.find(section);
    ASSERT_NE(at, std::string::npos) << section;
    EXPECT_GT(at, last) << section;
    last = at;
  }
  for (const FlagSpec& flag : FlagRegistry()) {
    const std::string label = flag.alias.empty() ? "  -" : "  -" + flag.alias + ", -";
    EXPECT_THAT(help, HasSubstr(label + flag.name + (flag.IsBool() ? "" : " ")));
  }
  EXPECT_THAT(help, HasSubstr("-h, -help"));
  EXPECT_THAT(help, HasSubstr("  -batch-size N"));
  EXPECT_THAT(help, HasSubstr("(default: 300)"));
  // Every exit code the loader uses (app/exit_codes.h) is explained.
  for (const int code : {kExitComplete, kExitIncomplete, kExitUsage, kExitAborted, kExitInterrupted,
                         kExitTerminated}) {
    EXPECT_THAT(help, HasSubstr("\n  " + std::to_string(code) + " ")) << code;
  }
  EXPECT_THAT(help, HasSubstr("SKYFLOW_BEARER_TOKEN"));
  EXPECT_THAT(help, HasSubstr("SKYFLOW_VAULT_URL"));
  EXPECT_THAT(help, HasSubstr("flag > environment variable > config file > built-in default"));
  EXPECT_THAT(help, EndsWith("\n"));
  std::istringstream lines(help);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_LE(line.size(), 100u) << line;
  }
}

TEST(OutputFlagsTest, VerboseAndQuietHaveOneLetterNames) {
  const Result<CommandLine> short_names = Parse({"-v", "-log-format", "json"});
  ASSERT_TRUE(short_names.ok()) << short_names.status().message();
  EXPECT_EQ(short_names->verbose, true);
  EXPECT_EQ(short_names->log_format, "json");
  const Result<CommandLine> long_names = Parse({"--quiet", "--verbose=false"});
  ASSERT_TRUE(long_names.ok()) << long_names.status().message();
  EXPECT_EQ(long_names->quiet, true);
  EXPECT_EQ(long_names->verbose, false);
  EXPECT_EQ(Parse({"-q"})->quiet, true);
  // Neither is recorded for -resume: the names and the letters both go.
  const std::vector<std::string> args = {"-v", "-q=true", "-log-format", "json", "-upsert"};
  EXPECT_EQ(ArgumentsWithout(args, {"verbose", "quiet", "log-format"}),
            std::vector<std::string>{"-upsert"});
}

TEST(OutputFlagsTest, HelpMarkdownIsAskedWithHelpEqualsMarkdown) {
  const Result<CommandLine> markdown = Parse({"-help=markdown"});
  ASSERT_TRUE(markdown.ok());
  EXPECT_TRUE(markdown->help_requested);
  EXPECT_TRUE(markdown->help_markdown);
  EXPECT_FALSE(Parse({"-help"})->help_markdown);
  EXPECT_EQ(ErrorOf({"--help=html"}),
            "invalid value \"html\" for flag -help: the only one is markdown");
}

TEST(HelpMarkdownTest, OneRowPerFlagInTablesByGroup) {
  const std::string markdown = HelpMarkdown();
  EXPECT_THAT(markdown,
              StartsWith("**Core**\n\n| flag | default | description |\n|---|---|---|\n"));
  EXPECT_THAT(markdown, HasSubstr("| `-batch-size N` | 300 | Records per API request (1 to "
                                  "10000). |\n"));
  EXPECT_THAT(markdown, HasSubstr("| `-v`, `-verbose` |  | "));
  // What Markdown would read as HTML or as a column break is escaped.
  EXPECT_THAT(markdown, HasSubstr("error_log_&lt;VAULT&gt;_&lt;time&gt;.jsonl"));
  EXPECT_THAT(markdown, HasSubstr("text: log lines as plain text"));
  for (const FlagSpec& flag : FlagRegistry())
    EXPECT_THAT(markdown, HasSubstr("`-" + flag.name)) << flag.name;
  // Every table row has the same number of unescaped column separators.
  std::istringstream lines(markdown);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] != '|') continue;
    int separators = 0;
    for (size_t i = 0; i < line.size(); ++i)
      separators += line[i] == '|' && (i == 0 || line[i - 1] != '\\') ? 1 : 0;
    EXPECT_EQ(separators, 4) << line;
  }
}

}  // namespace
}  // namespace skyflow
