#include "app/status_command.h"

#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <vector>

#include "app/exit_codes.h"
#include "app/run_directory.h"
#include "pipeline/checkpoint_journal.h"
#include "report/metrics_server.h"
#include "report/prometheus_text.h"
#include "report/run_summary.h"
#include "util/small_file.h"

namespace skyflow {
namespace {

constexpr size_t kMaxSummaryBytes = 16 * 1024 * 1024;
constexpr auto kMetricsTimeout = std::chrono::seconds(2);

std::string InDirectory(const std::string& directory, const std::string& name) {
  return (std::filesystem::path(directory) / name).string();
}

// "3 s", "4 min 10 s", "2 h 5 min": how long ago a file was written.
std::string AgeOf(const std::string& path) {
  std::error_code error;
  const auto written = std::filesystem::last_write_time(path, error);
  if (error) return "unknown";
  const auto age = std::chrono::duration_cast<std::chrono::seconds>(
                       std::filesystem::file_time_type::clock::now() - written)
                       .count();
  const long long seconds = age < 0 ? 0 : static_cast<long long>(age);
  char text[64];
  if (seconds < 60) {
    std::snprintf(text, sizeof(text), "%lld s", seconds);
  } else if (seconds < 3600) {
    std::snprintf(text, sizeof(text), "%lld min %lld s", seconds / 60, seconds % 60);
  } else {
    std::snprintf(text, sizeof(text), "%lld h %lld min", seconds / 3600, seconds % 3600 / 60);
  }
  return text;
}

// The facts run.json keeps about a vault's input, on one line.
std::string DescribeSource(const std::vector<SourceFact>& facts) {
  std::string text;
  for (const SourceFact& fact : facts) {
    if (fact.name.ends_with("modification time")) continue;
    if (!text.empty()) text += ", ";
    text += fact.name + " " + (fact.name.ends_with("size") ? fact.value + " bytes" : fact.value);
  }
  return text.empty() ? "(not recorded)" : text;
}

std::string Tally(const RowTally& tally) {
  return GroupDigits(tally.loaded) + " loaded, " + GroupDigits(tally.already_present) +
         " already present, " + GroupDigits(tally.conflicts) + " conflicts, " +
         GroupDigits(tally.failed) + " failed, " + GroupDigits(tally.rejected) + " rejected";
}

// summary.json's verdict and what stopped the run; false when it cannot be read.
bool PrintSummary(const std::string& path, bool running) {
  Result<std::string> text = ReadSmallFile(path, kMaxSummaryBytes);
  if (!text.ok()) return false;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  bool complete = false;
  std::string_view stopped;
  uint64_t records_read = 0, loaded = 0, already_present = 0;
  if (parser.parse(*text).get(root) || root["complete"].get(complete) ||
      root["stopped"].get(stopped) || root["whole_load"]["records_read"].get(records_read) ||
      root["whole_load"]["loaded"].get(loaded) ||
      root["whole_load"]["already_present"].get(already_present)) {
    std::printf("Summary: %s is not a summary this loader wrote\n", path.c_str());
    return false;
  }
  std::printf("%s %s (written %s ago): %s; %s rows read, %s loaded, %s already present%s%s\n",
              running ? "Last summary, of an earlier run:" : "Finished:", kSummaryFile,
              AgeOf(path).c_str(), complete ? "complete" : "incomplete",
              GroupDigits(records_read).c_str(), GroupDigits(loaded).c_str(),
              GroupDigits(already_present).c_str(),
              stopped.empty() ? "" : "; stopped: ", std::string(stopped).c_str());
  return true;
}

// The figures of a running loader's metrics page, per vault.
void PrintLiveMetrics(const std::string& directory) {
  Result<std::string> recorded = ReadSmallFile(InDirectory(directory, kMetricsAddressFile), 1024);
  if (!recorded.ok()) return;
  std::string address = *recorded;
  while (!address.empty() && (address.back() == '\n' || address.back() == ' '))
    address.pop_back();
  Result<std::string> page = FetchMetricsPage(address, kMetricsTimeout);
  if (!page.ok()) {
    std::printf("Live metrics: not reachable (%s)\n", page.status().message().c_str());
    return;
  }
  Result<std::vector<PrometheusSample>> samples = ParsePrometheusText(*page);
  if (!samples.ok()) {
    std::printf("Live metrics: %s\n", samples.status().message().c_str());
    return;
  }
  // vault -> figure name -> value
  std::map<std::string, std::map<std::string, double>> vaults;
  for (const PrometheusSample& sample : *samples) {
    const auto vault = sample.labels.find("vault");
    if (vault == sample.labels.end()) continue;
    std::map<std::string, double>& figures = vaults[vault->second];
    if (sample.name == "skyflow_loader_records_total") {
      figures[sample.labels.at("outcome")] = sample.value;
    } else if (sample.name == "skyflow_loader_rows_read_total") {
      figures["rows_read"] = sample.value;
    } else if (sample.name == "skyflow_loader_requests_total") {
      figures["requests"] += sample.value;
    } else if (sample.name == "skyflow_loader_in_flight_requests") {
      figures["in_flight"] = sample.value;
    } else if (sample.name == "skyflow_loader_concurrency_limit") {
      figures["limit"] = sample.value;
    } else if (sample.name == "skyflow_loader_concurrency_ceiling") {
      figures["ceiling"] = sample.value;
    }
  }
  std::printf("Live metrics (http://%s/metrics):\n", address.c_str());
  for (auto& [vault_name, vault_figures] : vaults) {
    // A lambda cannot capture a structured binding before C++20's fix
    // (clang 14 refuses it): name the figures first.
    const std::string& name = vault_name;
    auto& figures = vault_figures;
    auto count = [&figures](const char* key) {
      return GroupDigits(static_cast<uint64_t>(figures[key]));
    };
    std::printf(
        "  %s: %s rows read, %s loaded, %s already present, %s conflicts, %s failed, %s "
        "rejected; %s requests, %s in flight, limit %s of %s\n",
        name.c_str(), count("rows_read").c_str(), count("loaded").c_str(),
        count("already_present").c_str(), count("conflicts").c_str(), count("failed").c_str(),
        count("rejected").c_str(), count("requests").c_str(), count("in_flight").c_str(),
        count("limit").c_str(), count("ceiling").c_str());
  }
}

int Usage(const std::string& message) {
  std::fprintf(stderr, "skyflow-loader status: %s\n", message.c_str());
  return kExitUsage;
}

}  // namespace

int RunStatusCommand(const std::optional<std::string>& run_dir) {
  std::string directory;
  if (run_dir) {
    directory = *run_dir;
  } else {
    Result<std::string> latest = LatestRunDirectory(".");
    if (!latest.ok()) {
      return Usage(std::string("no run directory in the working directory (no ") +
                   kRunDirectoryPrefix + "* directory holding a " + kRunManifestFile +
                   "): pass -run-dir with the directory the load printed at its start");
    }
    directory = *latest;
  }
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) {
    return Usage("run directory " + directory + " does not exist (check -run-dir)");
  }
  if (!std::filesystem::exists(InDirectory(directory, kRunManifestFile), error)) {
    return Usage(directory + " is not a run directory: it holds no " + kRunManifestFile +
                 " (pass the directory a load printed at its start, \"Run directory: ...\")");
  }
  int exit_code = kExitComplete;
  std::printf("Run directory: %s\n", directory.c_str());
  Result<std::optional<std::string>> holder = RunDirectoryLock::Holder(directory);
  const bool running = holder.ok() && holder->has_value();
  if (!holder.ok()) {
    std::printf("Loader: unknown (%s)\n", holder.status().message().c_str());
    exit_code = kExitAborted;
  } else if (running) {
    std::printf("Loader: running, process %s\n", (*holder)->c_str());
  } else {
    std::printf("Loader: not running (no process holds the run directory)\n");
  }

  Result<RunManifest> manifest = ReadRunManifest(directory);
  if (!manifest.ok()) {
    std::printf("Run: %s\n", manifest.status().message().c_str());
    return kExitAborted;
  }
  std::printf("Started: %s (local time)\n", manifest->started.c_str());
  uint64_t settled_now = 0;
  for (const ManifestVault& vault : manifest->vaults) {
    std::printf("Vault %s\n  source: %s\n", vault.name.c_str(),
                DescribeSource(vault.source).c_str());
    const std::string journal = InDirectory(directory, vault.journal);
    Result<std::optional<Checkpoint>> checkpoint = CheckpointJournal::Read(journal);
    if (!checkpoint.ok()) {
      std::printf("  checkpoint: %s\n", checkpoint.status().message().c_str());
      exit_code = kExitAborted;
    } else if (!checkpoint->has_value()) {
      std::printf("  checkpoint: none yet (no row settled)\n");
    } else {
      const Checkpoint& last = **checkpoint;
      settled_now += last.tally.rows();
      std::printf("  checkpoint (written %s ago): %s rows settled: %s; a resume starts at row %s\n",
                  AgeOf(journal).c_str(), GroupDigits(last.tally.rows()).c_str(),
                  Tally(last.tally).c_str(), GroupDigits(last.next_sequence + 1).c_str());
    }
    const std::string error_log = InDirectory(directory, vault.error_log);
    if (std::filesystem::exists(error_log, error)) {
      std::printf("  error log: %s\n", error_log.c_str());
    }
  }

  const std::string summary = InDirectory(directory, kSummaryFile);
  if (!std::filesystem::exists(summary, error)) {
    std::printf("Finished: no (%s)\n",
                running ? "the loader is at work"
                        : ("no summary.json: the loader stopped without finishing; "
                           "skyflow-loader -resume -run-dir " +
                           directory + " goes on from the checkpoints")
                              .c_str());
  } else if (!PrintSummary(summary, running)) {
    exit_code = kExitAborted;
  }
  const std::vector<std::string> runs =
      DescribeRuns(ReadRunEvents(directory), running, settled_now);
  if (!runs.empty()) {
    std::printf("Runs of this load:\n");
    for (const std::string& line : runs)
      std::printf("  %s\n", line.c_str());
  }
  if (running) PrintLiveMetrics(directory);
  std::fflush(stdout);
  return exit_code;
}

}  // namespace skyflow
