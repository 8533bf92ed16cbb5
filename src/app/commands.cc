#include "app/commands.h"

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "app/exit_codes.h"
#include "app/reprocess.h"
#include "app/snowflake_connection.h"
#include "config/config_validation.h"
#include "error_log/go_error_log_writer.h"
#include "pipeline/run_load.h"
#include "pipeline/source_scan.h"
#include "report/resource_usage.h"
#include "report/run_summary.h"
#include "source/csv_pair_source.h"
#include "source/error_log_source.h"
#include "source/mock_data_generator.h"
#include "source/mock_postgres_tables.h"
#include "source/postgres_source.h"
#include "util/json_writer.h"
#include "util/log.h"

namespace skyflow {

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
  LogError(status.message());
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

Result<std::vector<VaultLoadPlan>> OpenPlans(const LoaderConfig& config) {
  return OpenPlans(config, SelectedVaults(config));
}

Result<std::vector<VaultLoadPlan>> OpenPlans(const LoaderConfig& config,
                                             const std::vector<VaultConfig>& vaults) {
  std::vector<VaultLoadPlan> plans;
  // One connection for every vault's statement.
  std::shared_ptr<const SnowflakeConnection> snowflake;
  if (config.run.source == SourceKind::kSnowflake) {
    Result<std::shared_ptr<const SnowflakeConnection>> connected = ConnectSnowflake(config);
    if (!connected.ok()) return connected.status();
    snowflake = std::move(connected).value();
  }
  for (const VaultConfig& vault : vaults) {
    Result<std::unique_ptr<RecordSource>> source =
        snowflake ? OpenSnowflakeSource(config, vault, snowflake) : OpenSource(config, vault);
    if (!source.ok()) {
      return Status(source.status().code(),
                    "vault " + vault.name + ": " + source.status().message());
    }
    VaultLoadPlan plan;
    plan.vault = vault;
    plan.source = std::move(source).value();
    plans.push_back(std::move(plan));
  }
  return plans;
}

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
    case SourceKind::kPostgres: {
      // Validation already requires it; an error log's vaults, say, reach
      // here without that check.
      if (vault.query.empty()) {
        return Status::InvalidArgument(
            "-source postgres needs the vault's query: set \"query\" in its skyflow.vaults "
            "entry to SQL returning two columns, the value then the token");
      }
      auto source = PostgresSource::Open(config.postgres.dsn, vault.query,
                                         "postgres query for " + vault.name);
      if (!source.ok()) return source.status();
      return std::unique_ptr<RecordSource>(std::move(source).value());
    }
    case SourceKind::kSnowflake:
      break;
  }
  return Status::Internal(std::string("-source ") + SourceKindName(config.run.source) +
                          " is opened with its connection (OpenPlans)");
}

namespace {

// -generate N -target postgres://...: the Snowflake-shaped tables.
int RunGenerateTablesCommand(const LoaderConfig& config, uint64_t count) {
  Result<MockTablesReport> report = GenerateMockTables(
      config.run.generate_target, config.run.generate_target_schema, count, config.run.seed);
  if (!report.ok()) {
    PrintError(report.status());
    return ExitCodeFor(report.status());
  }
  std::printf("Generated %llu rows (seed %llu) into PostgreSQL %s:\n",
              static_cast<unsigned long long>(count),
              static_cast<unsigned long long>(config.run.seed), report->target.c_str());
  for (const MockTableCount& table : report->tables) {
    std::printf("  %-24s %llu rows\n", table.table.c_str(),
                static_cast<unsigned long long>(table.rows));
  }
  return kExitComplete;
}

}  // namespace

int RunGenerateCommand(const LoaderConfig& config) {
  // Every configured vault, whatever -vault says: tokens are unique across the
  // vaults of one generation, which depends on each vault's place in the list.
  const std::vector<VaultConfig>& vaults = config.skyflow.vaults;
  const uint64_t count = static_cast<uint64_t>(*config.run.generate_count);
  if (!config.run.generate_target.empty()) return RunGenerateTablesCommand(config, count);
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
    std::optional<ErrorLogSurvey> survey = SurveyAndReport(config, &exit_code);
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

}  // namespace skyflow
