// What -q, -v and -log-format json do to the loader's output, end to end:
// -q leaves only warnings, errors and the RESULT line; -v adds a debug line
// for each retry (with its status and delay) and each checkpoint written;
// with -log-format json every line on stderr is a JSON object with time,
// level and msg, and the retries carry their vault, batch, status and
// attempts as fields.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "harness/emulator_process.h"
#include "harness/loader_config.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {
namespace {

using std::chrono::seconds;

constexpr char kToken[] = "log-output-token-93e1";
const std::vector<TestVault> kVaults = {{"NAME", "vault_name", "name"}};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

bool HasLineStartingWith(const std::string& text, const std::string& prefix) {
  for (const std::string& line : Lines(text)) {
    if (line.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

class LogOutputTest : public ::testing::Test {
 protected:
  // Server errors on a fifth of the requests: every run retries. 2,000
  // records at one request of 100 at a time, 20 ms each: long enough for
  // progress lines and a checkpoint or two.
  void SetUp() override {
    emulator_ = std::make_unique<EmulatorProcess>(
        dir_.path(), kToken,
        std::vector<std::string>{"--fault-500", "0.2", "--latency-ms", "20", "--seed", "5"});
    ASSERT_TRUE(emulator_->ready());
    WriteFile(dir_.File("config.json"),
              LoaderConfigJson(emulator_->url(), dir_.File("data"), kVaults,
                               R"("batch_size":100,"max_concurrency":1,"concurrency_mode":"fixed",)"
                               R"("max_records":0,"max_attempts":30,"retry_base_delay_ms":5,)"
                               R"("retry_max_delay_ms":20)"));
    const ProcessResult generated = Loader({"-generate", "2000"});
    ASSERT_EQ(generated.exit_code, 0) << generated.err;
  }

  ProcessResult Loader(std::vector<std::string> args) {
    args.insert(args.begin(), {"-config", dir_.File("config.json")});
    return RunProcess(SKYFLOW_LOADER_PATH, args, dir_.path(), seconds(120),
                      {{"SKYFLOW_BEARER_TOKEN", kToken}});
  }

  TempDir dir_;
  std::unique_ptr<EmulatorProcess> emulator_;
};

TEST_F(LogOutputTest, QuietPrintsOnlyTheResultLine) {
  const ProcessResult result = Loader({"-q"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(result.out, "RESULT: complete: every record read is in the vault\n");
  // No progress lines, no start messages; nothing went wrong, so nothing.
  EXPECT_EQ(result.err, "");
}

TEST_F(LogOutputTest, QuietVerifyPrintsOnlyItsResultLine) {
  ASSERT_EQ(Loader({"-q"}).exit_code, 0);
  const ProcessResult verify = Loader({"-verify", "-q", "-verify-report", dir_.File("list.jsonl")});
  ASSERT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_EQ(verify.out, "Result: every record checked is in the vault with its value\n");
  EXPECT_EQ(verify.err, "");
}

TEST_F(LogOutputTest, QuietStillPrintsErrors) {
  const ProcessResult result =
      RunProcess(SKYFLOW_LOADER_PATH, {"-config", dir_.File("config.json"), "-q"}, dir_.path(),
                 seconds(60), {{"SKYFLOW_BEARER_TOKEN", "a-token-the-vault-refuses"}});
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_FALSE(HasLineStartingWith(result.err, "Progress: ")) << result.err;
  EXPECT_FALSE(HasLineStartingWith(result.err, "[LIVE]")) << result.err;
  EXPECT_TRUE(HasLineStartingWith(result.err, "error: ")) << result.err;
  EXPECT_NE(result.err.find("HTTP 401"), std::string::npos) << result.err;
  EXPECT_EQ(Lines(result.out).size(), 1u) << result.out;
  EXPECT_EQ(result.out.rfind("RESULT: INCOMPLETE: ", 0), 0u) << result.out;
}

TEST_F(LogOutputTest, DefaultHasProgressButNoDebugLines) {
  const ProcessResult result = Loader({});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(HasLineStartingWith(result.err, "Progress: ")) << result.err;
  EXPECT_TRUE(HasLineStartingWith(result.err, "Run directory: ")) << result.err;
  EXPECT_FALSE(HasLineStartingWith(result.err, "debug: ")) << result.err;
  EXPECT_NE(result.out.find("ALL VAULTS"), std::string::npos) << result.out;
}

TEST_F(LogOutputTest, VerboseShowsEachRetryWithItsStatusAndDelay) {
  const ProcessResult result = Loader({"-v"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const std::regex retry(
      R"(debug: vault NAME: batch \d+: HTTP 500: .*; attempt \d+ of 30 failed, retry in \d+ ms)");
  int retries = 0;
  for (const std::string& line : Lines(result.err))
    retries += std::regex_match(line, retry) ? 1 : 0;
  EXPECT_GT(retries, 0) << result.err;
  EXPECT_TRUE(HasLineStartingWith(result.err, "debug: vault NAME: checkpoint written: "))
      << result.err;
  EXPECT_TRUE(HasLineStartingWith(result.err, "debug: vault API ")) << result.err;
  EXPECT_TRUE(HasLineStartingWith(result.err, "debug: vault NAME: new connection")) << result.err;
  EXPECT_TRUE(HasLineStartingWith(result.err, "Progress: ")) << result.err;
}

TEST_F(LogOutputTest, JsonFormatGivesOneObjectPerLine) {
  const ProcessResult result = Loader({"-v", "-log-format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const std::regex time(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
  simdjson::dom::parser parser;
  std::map<std::string, int> levels;
  int retries = 0, progress = 0;
  const std::vector<std::string> lines = Lines(result.err);
  ASSERT_FALSE(lines.empty());
  for (const std::string& line : lines) {
    simdjson::dom::object object;
    ASSERT_FALSE(parser.parse(line).get(object)) << "not a JSON object: " << line;
    std::string_view stamp, level, msg;
    ASSERT_FALSE(object["time"].get_string().get(stamp)) << line;
    ASSERT_FALSE(object["level"].get_string().get(level)) << line;
    ASSERT_FALSE(object["msg"].get_string().get(msg)) << line;
    EXPECT_TRUE(std::regex_match(std::string(stamp), time)) << line;
    ++levels[std::string(level)];
    if (msg.rfind("Progress: ", 0) == 0) ++progress;
    int64_t status = 0, batch = 0, attempts = 0, delay = -1;
    std::string_view vault;
    if (level == "debug" && !object["status"].get_int64().get(status) && status == 500) {
      ASSERT_FALSE(object["vault"].get_string().get(vault)) << line;
      ASSERT_FALSE(object["batch"].get_int64().get(batch)) << line;
      ASSERT_FALSE(object["attempts"].get_int64().get(attempts)) << line;
      ASSERT_FALSE(object["delay_ms"].get_int64().get(delay)) << line;
      EXPECT_EQ(vault, "NAME");
      EXPECT_GE(batch, 1);
      EXPECT_GE(attempts, 1);
      EXPECT_GE(delay, 0);
      ++retries;
    }
  }
  EXPECT_GT(retries, 0) << result.err;
  EXPECT_GT(progress, 0) << result.err;
  EXPECT_GT(levels["info"], 0);
  EXPECT_GT(levels["debug"], 0);
  for (const auto& [level, count] : levels) {
    EXPECT_TRUE(level == "debug" || level == "info" || level == "warn" || level == "error")
        << level;
  }
  // The report stays a report.
  EXPECT_NE(result.out.find("RESULT: complete"), std::string::npos) << result.out;
}

TEST_F(LogOutputTest, UsageErrorsComeAsJsonToo) {
  const ProcessResult result = Loader({"-log-format", "json", "-batch-size", "0"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  simdjson::dom::parser parser;
  for (const std::string& line : Lines(result.err)) {
    simdjson::dom::object object;
    ASSERT_FALSE(parser.parse(line).get(object)) << line;
    std::string_view level;
    ASSERT_FALSE(object["level"].get_string().get(level)) << line;
    EXPECT_EQ(level, "error") << line;
  }
  EXPECT_FALSE(result.err.empty());
  const ProcessResult contradiction = Loader({"-v", "-q"});
  EXPECT_EQ(contradiction.exit_code, 2);
  EXPECT_NE(contradiction.err.find("contradict"), std::string::npos) << contradiction.err;
  const ProcessResult unknown = Loader({"-log-format", "xml"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("-log-format: use text or json"), std::string::npos) << unknown.err;
}

}  // namespace
}  // namespace skyflow::testing
