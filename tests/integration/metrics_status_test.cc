// The live metrics page (-metrics-addr) and the status command, end to end:
// the real loader against the real emulator, slowed down so that a load
// lasts a few seconds; the page is scraped with libcurl (harness/http_request)
// and read with this file's own patterns, never with the loader's parser.
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
#include "harness/http_request.h"
#include "harness/loader_config.h"
#include "harness/paced_load_fixture.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kToken[] = "metrics-status-token-7d0e";

class MetricsStatusTest : public PacedLoadTest {
 protected:
  MetricsStatusTest() : PacedLoadTest(kToken) {}

  // `status` needs no config and no token.
  ProcessResult Status(const std::vector<std::string>& args) {
    std::vector<std::string> command = {"status"};
    command.insert(command.end(), args.begin(), args.end());
    return RunProcess(SKYFLOW_LOADER_PATH, command, dir_.path(), seconds(30));
  }

  std::string RunDir() const { return dir_.File("run"); }

  // Waits (bounded: 10 s) for a file of the run directory to have content.
  std::string AwaitFile(const std::string& name) {
    const std::string path = RunDir() + "/" + name;
    for (int i = 0; i < 1000; ++i) {
      std::error_code error;
      if (std::filesystem::file_size(path, error) > 0 && !error) return ReadFile(path);
      std::this_thread::sleep_for(milliseconds(10));
    }
    ADD_FAILURE() << path << " did not appear";
    return "";
  }
};

// The value of the sample `name{labels}` exactly as written; -1 if absent.
double Sample(const std::string& page, const std::string& series) {
  const std::string needle = "\n" + series + " ";
  const size_t at = page.find(needle);
  if (at == std::string::npos) return -1;
  return std::stod(page.substr(at + needle.size()));
}

std::string Records(const std::string& outcome) {
  return "skyflow_loader_records_total{vault=\"NAME\",outcome=\"" + outcome + "\"}";
}

uint64_t JsonCount(simdjson::dom::element root, const char* field) {
  uint64_t value = 0;
  EXPECT_FALSE(root[field].get_uint64().get(value)) << field;
  return value;
}

TEST_F(MetricsStatusTest, CountersRiseDuringTheLoadAndEndEqualToTheSummary) {
  // 3,000 records in 30 requests of about 150 ms: between four and five seconds.
  Prepare(3000, 150);
  const std::string summary = dir_.File("summary.json");
  std::unique_ptr<Subprocess> loader =
      StartLoader({"-metrics-addr", "127.0.0.1:0", "-run-dir", RunDir(), "-summary-json", summary});
  std::string address = AwaitFile("metrics_addr");
  ASSERT_FALSE(address.empty());
  address.pop_back();  // the newline
  ASSERT_TRUE(std::regex_match(address, std::regex(R"(127\.0\.0\.1:[1-9][0-9]*)"))) << address;
  const std::string url = "http://" + address + "/metrics";

  // Scrape every 100 ms while the load runs (bounded: 60 s).
  std::vector<double> loaded;
  std::string last_page;
  for (int i = 0; i < 600 && loaded.size() < 1000; ++i) {
    const HttpAnswer answer = HttpGet(url);
    if (answer.status != 200) break;  // the loader has gone
    EXPECT_EQ(answer.content_type, "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_EQ(answer.body.find(kToken), std::string::npos) << "the bearer token is never shown";
    last_page = "\n" + answer.body;
    loaded.push_back(Sample(last_page, Records("loaded")));
    std::this_thread::sleep_for(milliseconds(100));
  }
  const ProcessResult result = loader->Wait(seconds(60));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.err.find("metrics: " + url + "\n"), std::string::npos) << result.err;

  // The counter rose while the load ran, and never went back.
  ASSERT_GE(loaded.size(), 5u);
  size_t rises = 0;
  for (size_t i = 1; i < loaded.size(); ++i) {
    EXPECT_GE(loaded[i], loaded[i - 1]);
    if (loaded[i] > loaded[i - 1]) ++rises;
  }
  EXPECT_GE(rises, 3u);
  EXPECT_GT(loaded.back(), 0);
  EXPECT_NE(last_page.find("\nskyflow_loader_info{version=\""), std::string::npos);
  EXPECT_NE(last_page.find("\n# TYPE skyflow_loader_request_duration_seconds histogram\n"),
            std::string::npos);
  EXPECT_EQ(Sample(last_page, "skyflow_loader_concurrency_ceiling{vault=\"NAME\"}"), 1);
  EXPECT_GT(Sample(last_page, "skyflow_loader_process_resident_memory_bytes"), 0);

  // Gone when the loader is: its address is no longer recorded; the last
  // page stays in the run directory.
  EXPECT_FALSE(std::filesystem::exists(RunDir() + "/metrics_addr"));
  const std::string final_page = "\n" + ReadFile(RunDir() + "/metrics.prom");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const std::string json = ReadFile(summary);
  ASSERT_FALSE(parser.parse(json).get(root)) << json;
  EXPECT_EQ(JsonCount(root, "loaded"), 3000u);
  EXPECT_EQ(Sample(final_page, Records("loaded")), JsonCount(root, "loaded"));
  EXPECT_EQ(Sample(final_page, Records("already_present")), JsonCount(root, "already_present"));
  EXPECT_EQ(Sample(final_page, Records("conflicts")), JsonCount(root, "conflicts"));
  EXPECT_EQ(Sample(final_page, Records("failed")), JsonCount(root, "failed"));
  EXPECT_EQ(Sample(final_page, Records("rejected")), JsonCount(root, "rejected"));
  EXPECT_EQ(Sample(final_page, Records("unsent")), JsonCount(root, "unsent"));
  EXPECT_EQ(Sample(final_page, "skyflow_loader_rows_read_total{vault=\"NAME\"}"),
            JsonCount(root, "records_read"));
  EXPECT_EQ(Sample(final_page, "skyflow_loader_requests_total{vault=\"NAME\",code=\"200\"}"),
            JsonCount(root, "requests"));
  EXPECT_EQ(Sample(final_page, "skyflow_loader_request_duration_seconds_count{vault=\"NAME\"}"),
            JsonCount(root, "requests"));
  EXPECT_EQ(Sample(final_page,
                   "skyflow_loader_request_duration_seconds_bucket{vault=\"NAME\",le=\"+Inf\"}"),
            JsonCount(root, "requests"));
  // Every request took at least the emulator's 150 ms.
  EXPECT_EQ(Sample(final_page,
                   "skyflow_loader_request_duration_seconds_bucket{vault=\"NAME\",le=\"0.1024\"}"),
            0);
  EXPECT_EQ(
      Sample(final_page, "skyflow_loader_batches_total{vault=\"NAME\",outcome=\"immediate\"}"), 30);
  EXPECT_EQ(Sample(final_page, "skyflow_loader_in_flight_requests{vault=\"NAME\"}"), 0);
  EXPECT_LE(loaded.back(), Sample(final_page, Records("loaded")));
}

TEST_F(MetricsStatusTest, StatusOfAFinishedLoad) {
  Prepare(1000, 1);
  const ProcessResult load = Loader({"-run-dir", RunDir()});
  ASSERT_EQ(load.exit_code, 0) << load.err;
  const ProcessResult status = Status({"-run-dir", RunDir()});
  ASSERT_EQ(status.exit_code, 0) << status.out << status.err;
  const std::string& out = status.out;
  EXPECT_NE(out.find("Loader: not running"), std::string::npos) << out;
  EXPECT_NE(out.find("Vault NAME\n"), std::string::npos) << out;
  EXPECT_NE(out.find("name_data.csv"), std::string::npos) << out;
  EXPECT_NE(out.find("1,000 rows settled: 1,000 loaded, 0 already present, 0 conflicts, 0 "
                     "failed, 0 rejected; a resume starts at row 1,001"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("Finished: summary.json"), std::string::npos) << out;
  EXPECT_NE(out.find(": complete; 1,000 rows read, 1,000 loaded"), std::string::npos) << out;
  EXPECT_NE(out.find("run 1  started "), std::string::npos) << out;
  EXPECT_NE(out.find("  complete at "), std::string::npos) << out;
  EXPECT_EQ(out.find("Live metrics"), std::string::npos) << out;

  // Without -run-dir: the latest run in the working directory.
  const ProcessResult latest = Status({});
  EXPECT_EQ(latest.exit_code, 0) << latest.err;
  EXPECT_EQ(latest.out.rfind("Run directory: ./run\n", 0), 0u) << latest.out;
}

TEST_F(MetricsStatusTest, StatusWhileALoaderRunsAndAfterItWasKilled) {
  // 5,000 records in 50 requests of 200 ms: ten seconds.
  Prepare(5000, 200);
  std::unique_ptr<Subprocess> loader =
      StartLoader({"-metrics-addr", "127.0.0.1:0", "-run-dir", RunDir()});
  AwaitFile("metrics_addr");
  AwaitFile("checkpoint_NAME.journal");
  const ProcessResult running = Status({"-run-dir", RunDir()});
  EXPECT_EQ(running.exit_code, 0) << running.err;
  EXPECT_NE(running.out.find("Loader: running, process " + std::to_string(loader->pid()) + "\n"),
            std::string::npos)
      << running.out;
  EXPECT_NE(running.out.find("Finished: no (the loader is at work)"), std::string::npos)
      << running.out;
  EXPECT_NE(running.out.find("  running  "), std::string::npos) << running.out;
  EXPECT_TRUE(std::regex_search(running.out,
                                std::regex(R"(Live metrics \(http://127\.0\.0\.1:\d+/metrics\):\n)"
                                           R"(  NAME: [0-9,]+ rows read, [0-9,]+ loaded)")))
      << running.out;

  loader->Signal(SIGKILL);
  const ProcessResult killed = loader->Wait(seconds(30));
  EXPECT_EQ(killed.exit_code, -1);
  const ProcessResult after = Status({"-run-dir", RunDir()});
  EXPECT_EQ(after.exit_code, 0) << after.err;
  const std::string& out = after.out;
  EXPECT_NE(out.find("Loader: not running"), std::string::npos) << out;
  EXPECT_TRUE(std::regex_search(
      out,
      std::regex(R"(checkpoint \(written \d+ (s|min \d+ s) ago\): [1-9][0-9,]* rows settled)")))
      << out;
  EXPECT_NE(out.find("Finished: no (no summary.json: the loader stopped without finishing; "
                     "skyflow-loader -resume -run-dir " +
                     RunDir()),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("stopped without an end"), std::string::npos) << out;
  // The address of a dead loader is left behind by SIGKILL, but not shown.
  EXPECT_EQ(out.find("Live metrics"), std::string::npos) << out;
}

TEST_F(MetricsStatusTest, StatusRefusesWhatIsNotARunDirectory) {
  const ProcessResult missing = Status({"-run-dir", dir_.File("nowhere")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("does not exist"), std::string::npos) << missing.err;
  std::filesystem::create_directory(dir_.File("plain"));
  const ProcessResult plain = Status({"-run-dir", dir_.File("plain")});
  EXPECT_EQ(plain.exit_code, 2);
  EXPECT_NE(plain.err.find("is not a run directory: it holds no run.json"), std::string::npos)
      << plain.err;
  const ProcessResult none = Status({});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("no run directory in the working directory"), std::string::npos)
      << none.err;
}

TEST_F(MetricsStatusTest, AnAddressThatCannotBeListenedOnIsAUsageError) {
  Prepare(100, 1);
  const ProcessResult bad = Loader({"-metrics-addr", "nohost", "-run-dir", RunDir()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("set -metrics-addr or metrics.address"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(RunDir())) << "nothing left behind";
}

}  // namespace
}  // namespace skyflow::testing
