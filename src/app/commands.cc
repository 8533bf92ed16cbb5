#include "app/commands.h"

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "app/exit_codes.h"
#include "app/reprocess.h"
#include "config/config_validation.h"
#include "error_log/go_error_log_writer.h"
#include "pipeline/run_load.h"
#include "pipeline/source_scan.h"
#include "report/progress_line.h"
#include "report/resource_usage.h"
#include "report/run_summary.h"
#include "source/csv_pair_source.h"
#include "source/error_log_source.h"
#include "source/mock_data_generator.h"
#include "util/json_writer.h"

namespace skyflow {
namespace {

std::string LocalTimestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  localtime_r(&now, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y%m%d_%H%M%S", &parts);
  return buffer;
}

Status WriteTextFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.flush();
  if (!out) return Status::IoError("cannot write " + path);
  return Status::Ok();
}

void PrintError(const Status& status) {
  std::fprintf(stderr, "error: %s\n", status.message().c_str());
}

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
      return kExitUsage;
    case StatusCode::kCancelled:
      return kExitInterrupted;
    default:
      return kExitAborted;
  }
}

uint64_t MaxRows(const LoaderConfig& config) {
  return static_cast<uint64_t>(config.performance.max_records.value_or(0));
}

// An error log that cannot be read is wrong input, like a bad flag: nothing
// was sent.
int ReprocessExitCodeFor(const Status& status) {
  return status.code() == StatusCode::kParseError ? kExitUsage : ExitCodeFor(status);
}

// The vaults an error log holds (SurveyErrorLog), its notes and warnings
// printed; nullopt after printing the error.
std::optional<ErrorLogSurvey> Survey(const LoaderConfig& config, int* exit_code) {
  Result<ErrorLogSurvey> survey = SurveyErrorLog(config);
  if (!survey.ok()) {
    PrintError(survey.status());
    *exit_code = ReprocessExitCodeFor(survey.status());
    return std::nullopt;
  }
  for (const std::string& note : survey->notes)
    std::fprintf(stderr, "note: %s\n", note.c_str());
  for (const std::string& warning : survey->warnings)
    std::fprintf(stderr, "warning: %s\n", warning.c_str());
  return std::move(survey).value();
}

std::vector<VaultConfig> VaultsOf(const ErrorLogSurvey& survey) {
  std::vector<VaultConfig> vaults;
  for (const ReprocessTarget& target : survey.targets)
    vaults.push_back(target.vault);
  return vaults;
}

// Opens every vault's source before anything is sent, so that a missing
// file or a wrong header stops the run at once, not half-way.
Result<std::vector<VaultLoadPlan>> OpenPlans(const LoaderConfig& config,
                                             const std::vector<VaultConfig>& vaults) {
  std::vector<VaultLoadPlan> plans;
  for (const VaultConfig& vault : vaults) {
    Result<std::unique_ptr<RecordSource>> source = OpenSource(config, vault);
    if (!source.ok()) {
      return Status(source.status().code(),
                    "vault " + vault.name + ": " + source.status().message());
    }
    plans.push_back(VaultLoadPlan{vault, std::move(source).value()});
  }
  return plans;
}

// -error-log-format go: the Go loader's error log of each vault whose
// records were not all stored, beside the rejects file. False when one
// could not be written (the error is printed).
bool WriteGoErrorLogs(const LoaderConfig& config, const LoadResult& result) {
  if (result.rejects_written == 0) return true;
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  const std::filesystem::path directory = std::filesystem::path(result.rejects_path).parent_path();
  bool all_written = true;
  for (const VaultLoadResult& vault : result.vaults) {
    const std::string path = (directory / GoErrorLogFileName(vault.name, local)).string();
    GoErrorLogVault which{vault.name, vault.id, ""};
    if (const VaultConfig* configured = FindVaultByName(config.skyflow.vaults, vault.name)) {
      which.column = configured->column;
    }
    Result<GoErrorLogResult> written = WriteGoErrorLog(result.rejects_path, path, which);
    if (!written.ok()) {
      PrintError(Status(written.status().code(), "-error-log-format go: vault " + vault.name +
                                                     ": " + written.status().message()));
      all_written = false;
    } else if (written->written) {
      std::fprintf(stderr, "Go error log of vault %s: %s (%llu records)\n", vault.name.c_str(),
                   path.c_str(), static_cast<unsigned long long>(written->records));
    }
  }
  return all_written;
}

}  // namespace

std::vector<VaultConfig> SelectedVaults(const LoaderConfig& config) {
  if (config.run.vault_filter.empty()) return config.skyflow.vaults;
  const VaultConfig* vault = FindVaultByName(config.skyflow.vaults, config.run.vault_filter);
  if (vault == nullptr) return {};
  return {*vault};
}

Result<std::unique_ptr<RecordSource>> OpenSource(const LoaderConfig& config,
                                                 const VaultConfig& vault) {
  switch (config.run.source) {
    case SourceKind::kCsv: {
      CsvOptions options;
      options.max_field_bytes = static_cast<size_t>(config.csv.max_field_bytes);
      auto source = CsvPairSource::Open(CsvLayoutFor(vault, config.csv.data_directory), options);
      if (!source.ok()) return source.status();
      return std::unique_ptr<RecordSource>(std::move(source).value());
    }
    case SourceKind::kErrorLog: {
      auto source = ErrorLogSource::Open(ErrorLogSourceOptionsFor(config, vault));
      if (!source.ok()) return source.status();
      return std::unique_ptr<RecordSource>(std::move(source).value());
    }
    case SourceKind::kSnowflake:
      break;
  }
  return Status::InvalidArgument(std::string("-source ") + SourceKindName(config.run.source) +
                                 " is not available in this version of the loader; "
                                 "export the data to CSV pairs and use -source csv");
}

int RunGenerateCommand(const LoaderConfig& config) {
  // Every configured vault, whatever -vault says: tokens are unique across the
  // vaults of one generation, which depends on each vault's place in the list.
  const std::vector<VaultConfig>& vaults = config.skyflow.vaults;
  const uint64_t count = static_cast<uint64_t>(*config.run.generate_count);
  Status status = GenerateMockData(vaults, config.csv.data_directory, count, config.run.seed);
  if (!status.ok()) {
    PrintError(status);
    return ExitCodeFor(status);
  }
  for (const VaultConfig& vault : vaults) {
    const CsvPairLayout layout = CsvLayoutFor(vault, config.csv.data_directory);
    std::printf("Generated %llu records for vault %s: %s, %s\n",
                static_cast<unsigned long long>(count), vault.name.c_str(),
                layout.data_path.c_str(), layout.tokens_path.c_str());
  }
  return kExitComplete;
}

int RunDryRunCommand(const LoaderConfig& config) {
  std::vector<VaultConfig> vaults = SelectedVaults(config);
  if (config.run.source == SourceKind::kErrorLog) {
    int exit_code = kExitUsage;
    std::optional<ErrorLogSurvey> survey = Survey(config, &exit_code);
    if (!survey.has_value()) return exit_code;
    vaults = VaultsOf(*survey);
  }
  Result<std::vector<VaultLoadPlan>> plans = OpenPlans(config, vaults);
  if (!plans.ok()) {
    PrintError(plans.status());
    return ExitCodeFor(plans.status());
  }
  std::string json;
  JsonWriter writer(&json);
  writer.BeginObject().Key("vaults").BeginArray();
  bool any_rejected = false;
  for (VaultLoadPlan& plan : *plans) {
    Result<SourceScan> scan = ScanSource(plan.source.get(), MaxRows(config),
                                         static_cast<size_t>(config.performance.batch_size));
    if (!scan.ok()) {
      PrintError(Status(scan.status().code(),
                        "vault " + plan.vault.name + ": " + scan.status().message()));
      return ExitCodeFor(scan.status());
    }
    any_rejected = any_rejected || scan->rejected > 0;
    std::printf(
        "%-6s %s: %llu rows, %llu records to send, %llu rejected%s; digest %s\n",
        plan.vault.name.c_str(), plan.source->Describe().c_str(),
        static_cast<unsigned long long>(scan->rows), static_cast<unsigned long long>(scan->records),
        static_cast<unsigned long long>(scan->rejected),
        scan->stopped_at_limit ? " (stopped at -max-records)" : "", scan->digest.Hex().c_str());
    writer.BeginObject()
        .Field("name", plan.vault.name)
        .Field("id", plan.vault.id)
        .Field("table", plan.vault.TableName())
        .Field("source", plan.source->Describe())
        .Field("rows", scan->rows)
        .Field("records", scan->records)
        .Field("rejected", scan->rejected)
        .Field("stopped_at_limit", scan->stopped_at_limit)
        .Field("digest", scan->digest.Hex())
        .EndObject();
  }
  writer.EndArray().EndObject();
  json.push_back('\n');
  if (!config.run.summary_json_path.empty()) {
    Status written = WriteTextFile(config.run.summary_json_path, json);
    if (!written.ok()) {
      PrintError(written);
      return kExitAborted;
    }
  }
  return any_rejected ? kExitIncomplete : kExitComplete;
}

int RunLoadCommand(const LoaderConfig& config, const std::atomic<bool>& interrupted) {
  // A CA file that cannot be read is a usage error now, not a TLS failure
  // at the first request.
  if (!config.run.ca_file.empty() && !std::ifstream(config.run.ca_file)) {
    PrintError(Status::InvalidArgument("-ca-file " + config.run.ca_file +
                                       ": cannot read the file (a PEM bundle of CA certificates)"));
    return kExitUsage;
  }
  std::vector<VaultConfig> vaults = SelectedVaults(config);
  if (config.run.source == SourceKind::kErrorLog) {
    int exit_code = kExitUsage;
    std::optional<ErrorLogSurvey> survey = Survey(config, &exit_code);
    if (!survey.has_value()) return exit_code;
    if (std::optional<int> stop = PresentAndConfirm(config, *survey, interrupted)) return *stop;
    vaults = VaultsOf(*survey);
  }
  Result<std::vector<VaultLoadPlan>> plans = OpenPlans(config, vaults);
  if (!plans.ok()) {
    PrintError(plans.status());
    return ExitCodeFor(plans.status());
  }

  LoadOptions options;
  options.vault_url = config.skyflow.vault_url;
  options.bearer_token = config.skyflow.bearer_token;
  options.performance = config.performance;
  options.max_rows = MaxRows(config);
  options.seed = config.run.seed;
  options.http.verify_tls = !config.run.insecure_skip_tls_verify;
  options.http.ca_file = config.run.ca_file;
  options.rejects_path = config.run.rejects_path.empty() ? "rejects_" + LocalTimestamp() + ".jsonl"
                                                         : config.run.rejects_path;

  for (const VaultLoadPlan& plan : *plans) {
    std::fprintf(stderr, "Loading vault %s (id %s, table %s) from %s\n", plan.vault.name.c_str(),
                 plan.vault.id.c_str(), plan.vault.TableName().c_str(),
                 plan.source->Describe().c_str());
  }
  ProgressLine progress_line;
  LoadProgress progress;
  progress.report = [&progress_line](const LoadResult& running) {
    std::fputs(progress_line.Format(running).c_str(), stderr);
  };
  LoadResult result = RunLoad(options, std::move(plans).value(), interrupted, progress);
  const ResourceUsage usage = CurrentResourceUsage();
  std::fputs(FormatSummaryText(result, usage).c_str(), stdout);
  std::fflush(stdout);

  if (!config.run.summary_json_path.empty()) {
    Status written = WriteTextFile(config.run.summary_json_path, FormatSummaryJson(result, usage));
    if (!written.ok()) PrintError(written);
  }

  if (!result.run_status.ok()) {
    PrintError(result.run_status);
    return ExitCodeFor(result.run_status);
  }
  bool fatal = !result.rejects_status.ok();
  if (config.run.error_log_format == "go" && !WriteGoErrorLogs(config, result)) fatal = true;
  for (const VaultLoadResult& vault : result.vaults) {
    if (!vault.status.ok()) {
      std::fprintf(stderr, "error: vault %s: %s\n", vault.name.c_str(),
                   vault.status.message().c_str());
      fatal = true;
    }
  }
  if (fatal) return kExitAborted;
  return TotalsOf(result).complete() ? kExitComplete : kExitIncomplete;
}

}  // namespace skyflow
