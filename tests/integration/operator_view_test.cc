// What the operator sees, end to end: the loader's output when it does not
// go to a terminal (the Go loader's [LIVE] and Progress lines, no control
// characters), the JSON summary's version and latency percentiles, and
// -offline's pid file, which must not outlive the process.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <csignal>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "harness/emulator_process.h"
#include "harness/loader_config.h"
#include "harness/paced_load_fixture.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kToken[] = "operator-view-token-51c2";

class OperatorViewTest : public PacedLoadTest {
 protected:
  OperatorViewTest() : PacedLoadTest(kToken) {}

  std::string PidFile() const { return dir_.File("skyflow-loader.pid"); }

  // Waits (bounded) until the offline loader has written its pid file and
  // sent some requests.
  void AwaitLoading() {
    for (int i = 0; i < 1000 && !std::filesystem::exists(PidFile()); ++i)
      std::this_thread::sleep_for(milliseconds(10));
    ASSERT_TRUE(std::filesystem::exists(PidFile()));
    for (int i = 0; i < 1000 && emulator_->StatsCounter("requests", "total") < 3; ++i)
      std::this_thread::sleep_for(milliseconds(10));
  }
};

std::vector<std::string> LinesStartingWith(const std::string& text, const std::string& prefix) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (line.rfind(prefix, 0) == 0) lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

bool HasControlCharacters(const std::string& text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7f) return true;
  }
  return false;
}

TEST_F(OperatorViewTest, WithoutATerminalTheGoLoadersLinesAndNoControlCharacters) {
  // 4,000 records in 40 requests of about 100 ms: four seconds.
  Prepare(4000, 100);
  const std::string summary = dir_.File("summary.json");
  const ProcessResult result = Loader({"-summary-json", summary});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;

  EXPECT_FALSE(HasControlCharacters(result.err)) << result.err;
  EXPECT_FALSE(HasControlCharacters(result.out)) << result.out;

  const std::vector<std::string> live = LinesStartingWith(result.err, "[LIVE] ");
  ASSERT_FALSE(live.empty()) << result.err;
  const std::regex live_format(
      R"(\[LIVE\] Workers: 1/1 \| HTTP: [01] in-flight \| Req: \d+/s \| Rec: \d+/s \| )"
      R"(Latency: avg=\d+ms min=\d+ms max=\d+ms \| 429s: 0)");
  for (const std::string& line : live)
    EXPECT_TRUE(std::regex_match(line, live_format)) << line;

  const std::vector<std::string> progress = LinesStartingWith(result.err, "Progress: ");
  ASSERT_GE(progress.size(), 10u) << result.err;
  const std::regex progress_format(
      R"(Progress: \d+/~?\d+ records \(\d+\.\d%\) - \d+ records/sec \| Batches: )"
      "\\d+\xE2\x9C\x85 \\(\\d+ immediate, \\d+ retried\\) \\d+\xE2\x9D\x8C "
      R"(\(\d+(\.\d)?% success\) \| 429s: 0)");
  for (const std::string& line : progress)
    EXPECT_TRUE(std::regex_match(line, progress_format)) << line;
  EXPECT_EQ(progress.back().rfind("Progress: 4000/4000 records (100.0%)", 0), 0u)
      << progress.back();

  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const std::string json = ReadFile(summary);
  ASSERT_FALSE(parser.parse(json).get(root)) << json;
  int64_t version = 0;
  ASSERT_FALSE(root["schema_version"].get_int64().get(version)) << json;
  EXPECT_EQ(version, 1);
  double min = 0, p50 = 0, p95 = 0, p99 = 0, max = 0;
  ASSERT_FALSE(root["latency_ms"]["min"].get_double().get(min)) << json;
  ASSERT_FALSE(root["latency_ms"]["p50"].get_double().get(p50)) << json;
  ASSERT_FALSE(root["latency_ms"]["p95"].get_double().get(p95)) << json;
  ASSERT_FALSE(root["latency_ms"]["p99"].get_double().get(p99)) << json;
  ASSERT_FALSE(root["latency_ms"]["max"].get_double().get(max)) << json;
  // The emulator waits 100 ms before each answer.
  EXPECT_GE(min, 100.0) << json;
  EXPECT_LE(min, p50);
  EXPECT_LE(p50, p95);
  EXPECT_LE(p95, p99);
  EXPECT_LE(p99, max);
  uint64_t immediate = 0;
  ASSERT_FALSE(root["batches"]["immediate"].get_uint64().get(immediate)) << json;
  EXPECT_EQ(immediate, 40u);
}

TEST_F(OperatorViewTest, OfflineRemovesItsPidFileWhenTheLoadEnds) {
  Prepare(500, 1);
  const ProcessResult result = Loader({"-offline"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("skyflow-loader.pid"), std::string::npos) << result.out;
  EXPECT_FALSE(std::filesystem::exists(PidFile()));
}

TEST_F(OperatorViewTest, OfflineRemovesItsPidFileWhenTerminated) {
  // 50 requests of 200 ms: ten seconds, stopped after the first few.
  Prepare(5000, 200);
  std::unique_ptr<Subprocess> loader = StartLoader({"-offline"});
  AwaitLoading();
  loader->Signal(SIGTERM);
  const ProcessResult result = loader->Wait(seconds(60));
  EXPECT_EQ(result.exit_code, 143) << result.out << result.err;
  EXPECT_FALSE(std::filesystem::exists(PidFile()));
}

TEST_F(OperatorViewTest, OfflineRemovesItsPidFileOnASecondSignal) {
  // The second signal leaves at once, through the signal handler.
  Prepare(5000, 200);
  std::unique_ptr<Subprocess> loader = StartLoader({"-offline", "-drain-timeout", "60s"});
  AwaitLoading();
  loader->Signal(SIGINT);
  std::this_thread::sleep_for(milliseconds(50));
  loader->Signal(SIGINT);
  const ProcessResult result = loader->Wait(seconds(60));
  EXPECT_EQ(result.exit_code, 130) << result.out << result.err;
  EXPECT_FALSE(std::filesystem::exists(PidFile()));
}

}  // namespace
}  // namespace skyflow::testing
