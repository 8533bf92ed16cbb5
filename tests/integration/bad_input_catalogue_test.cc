// The bad-input catalogue: one row per way an input can be wrong (CSV files,
// config, server answers). Each row runs the loader as a process against the
// emulator (through a scripted proxy for server misbehaviour) and checks the
// exit code, that the message names the file, line or field and what to do,
// and that every good record of the same input is in the vault, and nothing
// else.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "harness/emulator_process.h"
#include "harness/loader_config.h"
#include "harness/run_files.h"
#include "harness/scripted_proxy.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {
namespace {

constexpr char kToken[] = "catalogue-test-token-9d41";
constexpr char kGoodData[] = "ssn\na1\na2\na3\n";
constexpr char kGoodTokens[] = "ssn_token\nt1\nt2\nt3\n";

struct Case {
  std::string name{};
  std::string data = kGoodData;  // ssn_data.csv
  std::string tokens = kGoodTokens;
  int exit_code = 0;
  // Must appear in the loader's stdout, stderr or rejects file.
  std::vector<std::string> messages{};
  uint64_t stored = 3;  // records in the vault afterwards
  std::vector<std::string> args{};
  // "performance" settings of config.json.
  std::string performance = R"("batch_size":10,"max_records":0)";
  // Replaces the whole config.json when set ($URL and $DATA substituted).
  std::optional<std::string> config{};
  std::vector<std::string> emulator_args{};  // $SCHEMA: a schema with "ssn" unique
  // The data file is a pipe whose writer stops after `data`, as if the file
  // were cut short while the loader reads it.
  bool data_cut_short = false;
  // When set: written to errors.jsonl, and the run reprocesses it
  // (-error-log errors.jsonl -yes) instead of reading the CSV files.
  std::optional<std::string> error_log{};
  bool use_proxy = false;
  ProxyReply::Kind proxy = ProxyReply::Kind::kForward;  // for the first insert
  ProxyReply lie{};  // what kForwardThenLie / kAnswer says; kAnswer applies to every insert
};

void PrintTo(const Case& c, std::ostream* out) {
  *out << c.name;
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

class BadInputCatalogueTest : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    const Case& c = GetParam();
    std::vector<std::string> emulator_args = c.emulator_args;
    WriteFile(dir_.File("schema.json"),
              R"({"vaults":[{"id":"v1","tables":[{"name":"ssn","columns":)"
              R"([{"name":"ssn","unique":true}]}]}]})");
    for (std::string& arg : emulator_args)
      arg = Replace(arg, "$SCHEMA", dir_.File("schema.json"));
    emulator_ = std::make_unique<EmulatorProcess>(dir_.path(), kToken, emulator_args);
    ASSERT_TRUE(emulator_->ready());
    std::string url = emulator_->url();
    if (c.use_proxy) {
      proxy_ = std::make_unique<ScriptedProxy>(url, kToken, [c](const ProxiedRequest& request) {
        const bool insert = request.method == "POST" && request.target == "/v1/vaults/v1/ssn";
        ProxyReply reply;
        if (insert && (c.proxy == ProxyReply::Kind::kAnswer || request.number == 1)) {
          reply = c.lie;
          reply.kind = c.proxy;
        }
        return reply;
      });
      url = proxy_->url();
    }
    std::filesystem::create_directories(dir_.File("data"));
    if (c.data_cut_short) {
      ASSERT_EQ(mkfifo(dir_.File("data/ssn_data.csv").c_str(), 0600), 0);
      writer_ = std::thread([path = dir_.File("data/ssn_data.csv"), data = c.data] {
        // Waits (boundedly) for the loader to open the pipe for reading.
        for (int tries = 0; tries < 3000; ++tries) {
          const int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
          if (fd >= 0) {
            [[maybe_unused]] const ssize_t written = ::write(fd, data.data(), data.size());
            ::close(fd);
            return;
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
      });
    } else {
      WriteFile(dir_.File("data/ssn_data.csv"), c.data);
    }
    WriteFile(dir_.File("data/ssn_tokens.csv"), c.tokens);
    std::string config =
        LoaderConfigJson(url, dir_.File("data"), {{"SSN", "v1", "ssn"}}, c.performance);
    if (c.config.has_value()) {
      config = Replace(Replace(c.config.value(), "$URL", url), "$DATA", dir_.File("data"));
    }
    WriteFile(dir_.File("config.json"), config);
  }

  void TearDown() override {
    if (writer_.joinable()) writer_.join();
  }

  TempDir dir_;
  std::unique_ptr<EmulatorProcess> emulator_;
  std::unique_ptr<ScriptedProxy> proxy_;
  std::thread writer_;
};

TEST_P(BadInputCatalogueTest, ReportsClearlyAndLoadsEveryGoodRecord) {
  const Case& c = GetParam();
  std::vector<std::string> args = {"-config", dir_.File("config.json"), "-run-dir",
                                   dir_.File("run")};
  args.insert(args.end(), c.args.begin(), c.args.end());
  if (c.error_log.has_value()) {
    WriteFile(dir_.File("errors.jsonl"), *c.error_log);
    args.insert(args.end(), {"-error-log", dir_.File("errors.jsonl"), "-yes"});
  }
  const ProcessResult result =
      RunProcess(SKYFLOW_LOADER_PATH, args, dir_.path(), std::chrono::seconds(60),
                 {{"SKYFLOW_BEARER_TOKEN", kToken}});
  const std::string rejects = ReadErrorLogs(dir_.File("run"));
  const std::string everything = result.out + result.err + rejects;
  EXPECT_EQ(result.exit_code, c.exit_code) << everything;
  for (const std::string& message : c.messages)
    EXPECT_NE(everything.find(message), std::string::npos) << message << " in\n" << everything;
  EXPECT_EQ(everything.find(kToken), std::string::npos) << "the bearer token leaked";
  const auto stats = emulator_->Stats();
  const auto table = stats.find("v1/ssn");
  EXPECT_EQ(table == stats.end() ? 0 : table->second.records, c.stored) << everything;
}

ProxyReply Lie(long status, std::string body, std::vector<std::string> headers = {}) {
  ProxyReply reply;
  reply.status = status;
  reply.body = std::move(body);
  reply.headers = std::move(headers);
  return reply;
}

std::vector<Case> Catalogue() {
  std::vector<Case> cases;
  auto add = [&cases](Case c) { cases.push_back(std::move(c)); };

  // CSV files.
  add({.name = "UnterminatedQuote",
       .data = "ssn\na1\n\"a2\na3\n",
       .exit_code = 3,
       .messages = {"ssn_data.csv:3: unterminated quoted field", "close the quote"},
       .stored = 1});
  add({.name = "QuoteInsideAnUnquotedField",
       .data = "ssn\na1\na\"2\na3\n",
       .exit_code = 1,
       .messages = {"ssn_data.csv:3: quote character inside an unquoted field",
                    "enclose the whole field in quotes"},
       .stored = 2});
  add({.name = "FilesOfDifferentLengths",
       .tokens = "ssn_token\nt1\nt2\n",
       .exit_code = 3,
       .messages = {"ssn_tokens.csv ends at line 3 (2 tokens)",
                    "both files must have one row per record"},
       .stored = 2});
  add({.name = "DataFileCutShortWhileRead",
       .data = "ssn\na1\na2\n",
       .exit_code = 3,
       .messages = {"ssn_data.csv ends at line 3 (2 values)", "ssn_tokens.csv has more rows"},
       .stored = 2,
       .data_cut_short = true});
  add({.name = "MissingHeader",
       .data = "a1\na2\na3\n",
       .exit_code = 2,
       .messages = {"ssn_data.csv:1: the header has no column \"ssn\"", "value_header"},
       .stored = 0});
  add({.name = "WrongHeaderName",
       .data = "social\na1\na2\na3\n",
       .exit_code = 2,
       .messages = {"found: \"social\"", "rename the column"},
       .stored = 0});
  add({.name = "HeaderOnly", .data = "ssn\n", .tokens = "ssn_token\n", .stored = 0});
  // Error logs given to -error-log: nothing is sent from a log that does
  // not fit.
  const std::string log_line =
      R"({"vault":"SSN","stage":"vault","outcome":"failed","sequence":0,"status":503,)"
      R"("message":"HTTP 503","value":"a9","token":"t9"})";
  add({.name = "ErrorLogTruncated",
       .exit_code = 2,
       .messages = {"errors.jsonl:2: the last line is cut short", "-error-log-skip-torn"},
       .stored = 0,
       .error_log = log_line + "\n" + log_line.substr(0, 40)});
  add({.name = "ErrorLogOfAnotherVault",
       .exit_code = 2,
       .messages = {"-vault SSN names another vault than error log", "NAME"},
       .stored = 0,
       .args = {"-vault", "ssn"},
       .config =
           R"({"skyflow":{"vault_url":"$URL","vaults":[{"name":"SSN","id":"v1","column":"ssn"},)"
           R"({"name":"NAME","id":"v2","column":"name"}]},"csv":{"data_directory":"$DATA"}})",
       .error_log = Replace(log_line, "\"SSN\"", "\"NAME\"") + "\n"});
  add({.name = "ErrorLogWithoutRecords",
       .exit_code = 2,
       .messages = {"holds no failed records: nothing to reprocess"},
       .stored = 0,
       .error_log = ""});
  add({.name = "EmptyFile",
       .data = "",
       .exit_code = 2,
       .messages = {"ssn_data.csv is empty; expected a header row"},
       .stored = 0});
  add({.name = "TenMegabyteField",
       .data = "ssn\na1\n" + std::string(10 << 20, 'x') + "\na3\n",
       .exit_code = 1,
       .messages = {"ssn_data.csv:3: unquoted field longer than 1048576 bytes"},
       .stored = 2});
  add({.name = "FieldOverAConfiguredLimit",
       .data = "ssn\na1\n" + std::string(300, 'y') + "\na3\n",
       .exit_code = 1,
       .messages = {"ssn_data.csv:3: unquoted field longer than 100 bytes"},
       .stored = 2,
       .args = {"-max-field-bytes", "100"}});
  add({.name = "NulByte",
       .data = std::string("ssn\na1\na\0002\na3\n", 14),
       .exit_code = 1,
       .messages = {"ssn_data.csv:3", "NUL byte", "re-export the file as UTF-8"},
       .stored = 2});
  add({.name = "InvalidUtf8",
       .data = "ssn\na1\na\xff"
               "2\na3\n",
       .exit_code = 1,
       .messages = {"ssn_data.csv:3", "not valid UTF-8 (byte 2)", R"("value_hex":"61ff32")"},
       .stored = 2});
  add({.name = "ValueOverTheColumnLimit",
       .data = "ssn\na1\n" + std::string(2600, 'v') + "\na3\n",
       .exit_code = 1,
       .messages = {"\"status\":400", "at most 2500", "ssn_data.csv:3"},
       .stored = 2,
       .emulator_args = {"--schema", "$SCHEMA"}});
  add({.name = "DuplicatePairWithinTheInput",
       .data = "ssn\na1\na1\na3\n",
       .tokens = "ssn_token\nt1\nt1\nt3\n",
       .messages = {"Already present:       1"},
       .stored = 2});
  add({.name = "SameTokenForTwoValues",
       .tokens = "ssn_token\nt1\nt1\nt3\n",
       .exit_code = 1,
       .messages = {"\"outcome\":\"conflict\"", "holds this token for another value"},
       .stored = 2});
  add({.name = "CrlfMixedWithLf",
       .data = "ssn\r\na1\na2\r\na3\n",
       .tokens = "ssn_token\nt1\r\nt2\nt3\r\n"});
  add({.name = "ByteOrderMarkInOneFileOnly", .data = "\xEF\xBB\xBFssn\na1\na2\na3\n"});

  // Config.
  add({.name = "InvalidJson",
       .exit_code = 2,
       .messages = {"config.json:1:13"},
       .stored = 0,
       .config = R"({"skyflow": })"});
  add({.name = "WrongType",
       .exit_code = 2,
       .messages = {"performance.batch_size"},
       .stored = 0,
       .performance = R"("batch_size":"many")"});
  add({.name = "ZeroBatchSize",
       .exit_code = 2,
       .messages = {"batch size", "-batch-size or performance.batch_size"},
       .stored = 0,
       .performance = R"("batch_size":0,"max_records":0)"});
  add({.name = "NegativeConcurrency",
       .exit_code = 2,
       .messages = {"concurrency", "performance.max_concurrency"},
       .stored = 0,
       .performance = R"("max_concurrency":-4,"max_records":0)"});
  add({.name = "UnknownVaultName",
       .exit_code = 2,
       .messages = {"NOPE"},
       .stored = 0,
       .args = {"-vault", "NOPE"}});
  add({.name = "VaultUrlWithoutScheme",
       .exit_code = 2,
       .messages = {"vault_url", "https://"},
       .stored = 0,
       .config = R"({"skyflow":{"vault_url":"vault.example.com","vaults":[{"name":"SSN","id":"v1",)"
                 R"("column":"ssn"}]},"csv":{"data_directory":"$DATA"}})"});
  add({.name = "DataDirectoryMissing",
       .exit_code = 2,
       .messages = {"/nonexistent-data-dir"},
       .stored = 0,
       .args = {"-data-dir", "/nonexistent-data-dir"}});

  // Server answers.
  add({.name = "OkWhoseBodyIsNotJson",
       .messages = {"lookups)"},
       .use_proxy = true,
       .proxy = ProxyReply::Kind::kForwardThenLie,
       .lie = Lie(200, "<html>ok</html>")});
  add({.name = "OkListingFewerRecordsThanSent",
       .use_proxy = true,
       .proxy = ProxyReply::Kind::kForwardThenLie,
       .lie = Lie(200, R"({"records":[{"skyflow_id":"only-one"}]})")});
  add({.name = "HtmlErrorPageFromAProxy",
       .messages = {"1 other 5xx/408"},
       .use_proxy = true,
       .proxy = ProxyReply::Kind::kForwardThenLie,
       .lie = Lie(502, "<html><body><h1>502 Bad Gateway</h1></body></html>")});
  // A proxy that echoes the request's headers in its error page: the token
  // reaches neither the output nor the error log (the test checks every
  // case for it), a fingerprint stands in its place.
  add({.name = "ProxyEchoingTheBearerToken",
       .exit_code = 1,
       .messages = {"<redacted: ", "Authorization: Bearer"},
       .stored = 0,
       .use_proxy = true,
       .proxy = ProxyReply::Kind::kAnswer,
       .lie = Lie(400, std::string(R"({"error":{"message":"rejected: Authorization: Bearer )") +
                           kToken + R"("}})")});
  add({.name = "AnswerThatNeverEnds",
       .args = {"-request-timeout-ms", "1500"},
       .use_proxy = true,
       .proxy = ProxyReply::Kind::kTrickle});
  add({.name = "RedirectToAnotherHost",
       .exit_code = 3,
       .messages = {"HTTP 307: redirect to http://127.0.0.2:9/v1/vaults/v1/ssn",
                    "does not follow redirects", "-vault-url"},
       .stored = 0,
       .use_proxy = true,
       .proxy = ProxyReply::Kind::kAnswer,
       .lie = Lie(307, "", {"Location: http://127.0.0.2:9/v1/vaults/v1/ssn"})});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Catalogue, BadInputCatalogueTest, ::testing::ValuesIn(Catalogue()),
                         [](const ::testing::TestParamInfo<Case>& row) { return row.param.name; });

}  // namespace
}  // namespace skyflow::testing
