#include "app/load_command.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "app/commands.h"
#include "app/exit_codes.h"
#include "app/flags.h"
#include "app/reprocess.h"
#include "app/run_directory.h"
#include "config/config_validation.h"
#include "error_log/go_error_log_writer.h"
#include "pipeline/checkpoint_journal.h"
#include "pipeline/error_log.h"
#include "pipeline/run_load.h"
#include "report/live_display.h"
#include "report/metrics_server.h"
#include "report/metrics_snapshot.h"
#include "report/progress_view.h"
#include "report/prometheus_text.h"
#include "report/resource_usage.h"
#include "report/run_summary.h"
#include "util/ascii.h"
#include "util/duration.h"
#include "util/log.h"
#include "util/rfc3339.h"

namespace skyflow {
namespace {

std::string InDirectory(const std::string& directory, const std::string& name) {
  return (std::filesystem::path(directory) / name).string();
}

// Points each plan at its files in the run directory; on resume, checks that
// the vault belonged to the run and its input is unchanged, and sets where
// reading resumes.
Status PrepareVaults(const std::string& directory, bool resume, RunManifest* manifest,
                     std::vector<VaultLoadPlan>* plans) {
  for (VaultLoadPlan& plan : *plans) {
    const std::string& name = plan.vault.name;
    if (!resume) {
      manifest->vaults.push_back(ManifestVault{name, ErrorLogFileName(name, manifest->started),
                                               JournalFileName(name), plan.source->Identity()});
    }
    const ManifestVault* recorded = manifest->FindVault(name);
    if (recorded == nullptr) {
      return Status::InvalidArgument("cannot resume: vault " + name +
                                     " was not part of the run in " + directory +
                                     "; resume with the vaults it loaded (-vault)");
    }
    if (std::string change = DescribeSourceChange(recorded->source, plan.source->Identity());
        !change.empty()) {
      return Status::InvalidArgument("cannot resume vault " + name + ": its input changed since " +
                                     "the run began (" + change +
                                     "); resuming would skip or repeat other rows. Start a new "
                                     "run (another -run-dir) to load this input");
    }
    plan.error_log_path = InDirectory(directory, recorded->error_log);
    plan.journal_path = InDirectory(directory, recorded->journal);
    if (!resume) continue;
    Result<std::optional<Checkpoint>> checkpoint = CheckpointJournal::Read(plan.journal_path);
    if (!checkpoint.ok()) return checkpoint.status();
    if (*checkpoint) plan.resume_from = std::move(**checkpoint);
    Result<uint64_t> kept = TrimErrorLog(plan.error_log_path, plan.resume_from.next_sequence);
    if (!kept.ok()) return kept.status();
  }
  return Status::Ok();
}

void PrintResumeHint(const LoadInvocation& invocation, const std::string& directory) {
  std::string hint = "To resume this load where it stopped:\n  " + invocation.program +
                     " -resume -run-dir " + directory;
  // Secrets are never recorded in the run directory.
  if (ArgumentsWithout(invocation.arguments, {}).size() != invocation.arguments.size()) {
    hint +=
        "\n  (secrets given as flags are not recorded: set SKYFLOW_BEARER_TOKEN, or add them to "
        "the command again)";
  }
  LogInfo(hint, {{"run_dir", directory}});
}

// -error-log-format go: the Go loader's error log of each vault whose error
// log has lines, beside it in the run directory. False when one could not be
// written (the error is printed).
bool WriteGoErrorLogs(const LoaderConfig& config, const LoadResult& result) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  bool all_written = true;
  for (const VaultLoadResult& vault : result.vaults) {
    if (!std::filesystem::exists(vault.error_log_path)) continue;
    const std::string path =
        InDirectory(result.run_directory, GoErrorLogFileName(vault.name, local));
    GoErrorLogVault which{vault.name, vault.id, ""};
    if (const VaultConfig* configured = FindVaultByName(config.skyflow.vaults, vault.name)) {
      which.column = configured->column;
    }
    Result<GoErrorLogResult> written = WriteGoErrorLog(vault.error_log_path, path, which);
    if (!written.ok()) {
      PrintError(Status(written.status().code(), "-error-log-format go: vault " + vault.name +
                                                     ": " + written.status().message()));
      all_written = false;
    } else if (written->written) {
      LogInfo("Go error log of vault " + vault.name + ": " + path + " (" +
                  std::to_string(written->records) + " records)",
              {{"vault", vault.name}, {"path", path}, {"records", written->records}});
    }
  }
  return all_written;
}

// -metrics-addr: the metrics page while the load runs, and where it listens
// recorded in the run directory (removed when the load ends, for the port
// may then be another program's).
class MetricsPage {
 public:
  // Ok and nothing served without an address.
  Status Start(const std::string& address) {
    if (address.empty()) return Status::Ok();
    Result<std::unique_ptr<MetricsServer>> started =
        MetricsServer::Start(address, [this] { return RenderPrometheusText(live_.Snapshot()); });
    if (!started.ok()) return started.status();
    server_ = std::move(started).value();
    return Status::Ok();
  }

  void Record(const std::string& directory) {
    if (!server_) return;
    address_file_ = InDirectory(directory, kMetricsAddressFile);
    if (Status written = WriteTextFile(address_file_, server_->address() + "\n"); !written.ok()) {
      PrintError(written);
    }
    std::fprintf(stderr, "metrics: %s\n", server_->url().c_str());
  }

  LiveMetrics& live() { return live_; }

  // The final page, as metrics.prom in the run directory.
  void Finish(const std::string& directory) {
    if (!server_) return;
    live_.Freeze();
    const std::string path = InDirectory(directory, kFinalMetricsFile);
    if (Status written = WriteTextFile(path, RenderPrometheusText(live_.Snapshot()));
        !written.ok()) {
      PrintError(written);
    }
  }

  ~MetricsPage() {
    if (server_) server_->Stop();
    if (!address_file_.empty()) std::filesystem::remove(address_file_);
  }

 private:
  LiveMetrics live_;
  std::unique_ptr<MetricsServer> server_;
  std::string address_file_;
};

}  // namespace

int RunLoadCommand(const LoaderConfig& config, const LoadInvocation& invocation,
                   const std::atomic<bool>& interrupted, const std::atomic<int>& signal_number) {
  // A CA file that cannot be read is a usage error now, not a TLS failure
  // at the first request.
  if (!config.run.ca_file.empty() && !std::ifstream(config.run.ca_file)) {
    PrintError(Status::InvalidArgument("-ca-file " + config.run.ca_file +
                                       ": cannot read the file (a PEM bundle of CA certificates)"));
    return kExitUsage;
  }

  const bool resume = config.run.resume;
  RunManifest manifest;
  std::string directory = config.run.run_dir;
  if (resume) {
    Result<RunManifest> read = ReadRunManifest(directory);
    if (!read.ok()) {
      PrintError(read.status());
      return ExitCodeFor(read.status());
    }
    manifest = std::move(read).value();
  } else {
    manifest.started = LocalTimestamp();
    if (directory.empty()) directory = DefaultRunDirectory(manifest.started);
    // How this invocation prints is not part of the load.
    manifest.arguments = ArgumentsWithout(invocation.arguments,
                                          {"resume", "run-dir", "log-format", "verbose", "quiet"});
  }

  std::vector<VaultConfig> vaults = SelectedVaults(config);
  if (config.run.source == SourceKind::kErrorLog) {
    int exit_code = kExitUsage;
    std::optional<ErrorLogSurvey> survey = SurveyAndReport(config, &exit_code);
    if (!survey.has_value()) return exit_code;
    if (std::optional<int> stop = PresentAndConfirm(config, *survey, interrupted)) return *stop;
    vaults = VaultsOf(*survey);
  }
  Result<std::vector<VaultLoadPlan>> plans = OpenPlans(config, vaults);
  if (!plans.ok()) {
    PrintError(plans.status());
    return ExitCodeFor(plans.status());
  }
  // Before the run directory is made: an address that cannot be listened on
  // leaves nothing behind.
  MetricsPage metrics;
  if (Status listening = metrics.Start(config.metrics.address); !listening.ok()) {
    PrintError(listening);
    return kExitUsage;
  }
  if (!resume) {
    if (Status created = CreateRunDirectory(directory); !created.ok()) {
      PrintError(created);
      return ExitCodeFor(created);
    }
  }
  Result<std::unique_ptr<RunDirectoryLock>> lock = RunDirectoryLock::Acquire(directory);
  if (!lock.ok()) {
    PrintError(lock.status());
    return ExitCodeFor(lock.status());
  }
  if (Status prepared = PrepareVaults(directory, resume, &manifest, &*plans); !prepared.ok()) {
    PrintError(prepared);
    return ExitCodeFor(prepared);
  }
  if (!resume) {
    if (Status written = WriteRunManifest(directory, manifest); !written.ok()) {
      PrintError(written);
      return kExitAborted;
    }
  }

  LoadOptions options;
  options.vault_url = config.skyflow.vault_url;
  options.bearer_token = config.skyflow.bearer_token;
  options.performance = config.performance;
  options.max_rows = MaxRows(config);
  options.seed = config.run.seed;
  options.http.verify_tls = !config.run.insecure_skip_tls_verify;
  options.http.ca_file = config.run.ca_file;
  options.drain_timeout = ParseDuration(config.run.drain_timeout).value_or(options.drain_timeout);

  // The run's number in the history of the load, and the rows the earlier
  // runs settled (the checkpoints this one starts from).
  const std::vector<RunEvent> history = ReadRunEvents(directory);
  int run_number = 1;
  for (const RunEvent& event : history)
    run_number = std::max(run_number, event.run + 1);
  uint64_t settled_before = 0;
  for (const VaultLoadPlan& plan : *plans)
    settled_before += plan.resume_from.tally.rows();
  // The history only informs: a failure to write it must not stop a load.
  (void)AppendRunEvent(directory, RunEvent{run_number, false, FormatRfc3339Utc(std::time(nullptr)),
                                           settled_before, ""});

  LogInfo("Run directory: " + directory, {{"run_dir", directory}});
  metrics.Record(directory);
  for (const VaultLoadPlan& plan : *plans) {
    LogInfo("Loading vault " + plan.vault.name + " (id " + plan.vault.id + ", table " +
                plan.vault.TableName() + ") from " + plan.source->Describe(),
            {{"vault", plan.vault.name}, {"vault_id", plan.vault.id}});
    if (resume) {
      LogInfo("  resuming at row " + GroupDigits(plan.resume_from.next_sequence + 1) + ": " +
                  GroupDigits(plan.resume_from.tally.rows()) + " settled by earlier runs",
              {{"vault", plan.vault.name}, {"row", plan.resume_from.next_sequence + 1}});
    }
  }
  // -q: no bars and no progress lines (those are info lines).
  const bool quiet = !LogEnabled(LogLevel::kInfo);
  ProgressView view(options.max_rows, StderrIsTerminal() && !quiet, ColourWanted(STDERR_FILENO));
  LoadProgress progress;
  progress.interval = view.interval();
  bool interruption_seen = false;
  progress.report = [&](const LoadResult& running) {
    // The signal handler wrote its message below the bars.
    if (interrupted.load() && !interruption_seen) {
      interruption_seen = true;
      view.Detach();
    }
    view.Tick(running);
  };
  progress.started = [&metrics](const LoadResult& started) { metrics.live().Watch(started); };
  LoadResult result = RunLoad(options, std::move(plans).value(), interrupted, progress);
  result.run_directory = directory;
  metrics.Finish(directory);
  if (interrupted.load() && !interruption_seen) view.Detach();
  view.Finish(result);
  const ResourceUsage usage = CurrentResourceUsage();
  std::fputs((quiet ? FormatVerdictLine(result) : FormatSummaryText(result, usage)).c_str(),
             stdout);
  std::fflush(stdout);

  uint64_t settled_after = 0;
  for (const VaultLoadResult& vault : result.vaults)
    settled_after += vault.checkpoint.tally.rows();
  const char* outcome =
      !result.run_status.ok()
          ? (result.run_status.code() == StatusCode::kCancelled ? "interrupted" : "stopped")
      : WholeLoadTotalsOf(result).complete() ? "complete"
                                             : "incomplete";
  (void)AppendRunEvent(directory, RunEvent{run_number, true, FormatRfc3339Utc(std::time(nullptr)),
                                           settled_after, outcome});
  if (run_number > 1 && !quiet) {
    std::string runs = "Runs of this load:\n";
    for (const std::string& line : DescribeRuns(ReadRunEvents(directory)))
      runs += "  " + line + "\n";
    std::fputs(runs.c_str(), stdout);
    std::fflush(stdout);
  }

  const std::string summary_json = FormatSummaryJson(result, usage);
  for (const std::string& path :
       {InDirectory(directory, kSummaryFile), config.run.summary_json_path}) {
    if (path.empty()) continue;
    if (Status written = WriteTextFile(path, summary_json); !written.ok()) PrintError(written);
  }

  bool fatal = !result.error_log_status.ok();
  if (AsciiLowered(config.run.error_log_format) == "go" && !WriteGoErrorLogs(config, result)) {
    fatal = true;
  }
  for (const VaultLoadResult& vault : result.vaults) {
    if (!vault.status.ok()) {
      LogError("vault " + vault.name + ": " + vault.status.message(), {{"vault", vault.name}});
      fatal = true;
    }
    if (!vault.checkpoint_status.ok()) {
      LogError("vault " + vault.name + ": " + vault.checkpoint_status.message(),
               {{"vault", vault.name}});
      fatal = true;
    }
  }
  if (!result.run_status.ok()) {
    PrintError(result.run_status);
    PrintResumeHint(invocation, directory);
    if (result.run_status.code() == StatusCode::kCancelled) {
      return signal_number.load() == SIGTERM ? kExitTerminated : kExitInterrupted;
    }
    return ExitCodeFor(result.run_status);
  }
  if (fatal) {
    PrintResumeHint(invocation, directory);
    return kExitAborted;
  }
  return WholeLoadTotalsOf(result).complete() ? kExitComplete : kExitIncomplete;
}

}  // namespace skyflow
