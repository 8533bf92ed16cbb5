#include "config/config_validation.h"

#include <string_view>

#include "util/ascii.h"
#include "util/duration.h"
#include "util/host_port.h"

namespace skyflow {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// "set -batch-size or performance.batch_size"; either part may be absent.
std::string Fix(std::string_view flag, std::string_view key) {
  std::string fix = "set ";
  if (!flag.empty()) {
    fix += '-';
    fix += flag;
  }
  if (!flag.empty() && !key.empty()) fix += " or ";
  fix += key;
  return fix;
}

class ProblemList {
 public:
  // Lower bound (and optional upper bound) on an integer setting.
  void CheckRange(int64_t value, int64_t min, std::optional<int64_t> max, std::string_view what,
                  std::string_view flag, std::string_view key) {
    if (value < min) {
      Add(std::string(what) + " must be at least " + std::to_string(min) + " (got " +
          std::to_string(value) + "): " + Fix(flag, key));
    } else if (max.has_value() && value > *max) {
      Add(std::string(what) + " must be at most " + std::to_string(*max) + " (got " +
          std::to_string(value) + "): " + Fix(flag, key));
    }
  }

  void Add(std::string problem) { problems_.push_back(std::move(problem)); }
  std::vector<std::string> Take() { return std::move(problems_); }

 private:
  std::vector<std::string> problems_;
};

std::string VaultKey(size_t index, std::string_view field) {
  return "skyflow.vaults[" + std::to_string(index) + "]." + std::string(field);
}

std::string KnownVaultNames(const std::vector<VaultConfig>& vaults) {
  std::string names;
  for (const VaultConfig& vault : vaults) {
    if (vault.name.empty()) continue;
    if (!names.empty()) names += ", ";
    names += vault.name;
  }
  return names.empty() ? "(none)" : names;
}

void CheckVaultList(const LoaderConfig& config, ProblemList* problems) {
  const std::vector<VaultConfig>& vaults = config.skyflow.vaults;
  if (vaults.empty()) {
    problems->Add(
        "no vaults are configured: add entries to skyflow.vaults in the config file "
        "(see config.example.json)");
    return;
  }
  for (size_t i = 0; i < vaults.size(); ++i) {
    if (vaults[i].name.empty()) {
      problems->Add("vault entry " + std::to_string(i) +
                    " has no name: " + Fix("", VaultKey(i, "name")));
      continue;
    }
    for (size_t j = 0; j < i; ++j) {
      if (EqualsIgnoreCase(vaults[i].name, vaults[j].name)) {
        problems->Add("vault name \"" + vaults[i].name + "\" is used by " + VaultKey(j, "name") +
                      " and " + VaultKey(i, "name") +
                      "; names must be unique, ignoring case, because -vault selects by name");
        break;
      }
    }
  }
  if (!config.run.vault_filter.empty() &&
      FindVaultByName(vaults, config.run.vault_filter) == nullptr) {
    problems->Add("unknown vault \"" + config.run.vault_filter +
                  "\" for -vault: the configured vaults are " + KnownVaultNames(vaults) +
                  " (skyflow.vaults in the config file)");
  }
}

bool IsSelected(const LoaderConfig& config, const VaultConfig& vault) {
  return config.run.vault_filter.empty() || EqualsIgnoreCase(vault.name, config.run.vault_filter);
}

void CheckSelectedVaults(const LoaderConfig& config, bool needs_ids, ProblemList* problems) {
  const std::vector<VaultConfig>& vaults = config.skyflow.vaults;
  for (size_t i = 0; i < vaults.size(); ++i) {
    const VaultConfig& vault = vaults[i];
    if (vault.name.empty() || !IsSelected(config, vault)) continue;
    if (vault.column.empty()) {
      problems->Add("vault " + vault.name + " has no column: " + Fix("", VaultKey(i, "column")));
    }
    if (!needs_ids) continue;
    const std::string only_this = config.run.vault_filter.empty()
                                      ? " (or load only the configured vaults with -vault NAME)"
                                      : "";
    if (vault.id.empty()) {
      problems->Add("vault " + vault.name + " has no vault ID: " + Fix("", VaultKey(i, "id")) +
                    only_this);
    } else if (StartsWith(AsciiLowered(vault.id), "your_")) {
      problems->Add("vault " + vault.name + " still has the placeholder ID \"" + vault.id +
                    "\" from config.example.json: " + Fix("", VaultKey(i, "id")) +
                    " to the vault's ID" + only_this);
    }
  }
}

void CheckVaultUrl(const std::string& url, ProblemList* problems) {
  const std::string fix = "set -vault-url, SKYFLOW_VAULT_URL or skyflow.vault_url";
  if (url.empty()) {
    problems->Add("the vault URL is not set (https://<cluster>.vault.skyflowapis.com): " + fix);
    return;
  }
  std::string_view rest;
  if (StartsWith(AsciiLowered(url), "https://")) {
    rest = std::string_view(url).substr(8);
  } else if (StartsWith(AsciiLowered(url), "http://")) {
    rest = std::string_view(url).substr(7);
  } else {
    problems->Add("the vault URL \"" + url +
                  "\" must start with https:// (or http:// for a local emulator): " + fix);
    return;
  }
  if (rest.empty() || rest.front() == '/') {
    problems->Add("the vault URL \"" + url + "\" has no host name: " + fix);
  } else if (url.find_first_of(" \t\r\n") != std::string::npos) {
    problems->Add("the vault URL \"" + url + "\" contains white space: " + fix);
  } else if (AsciiLowered(url).find("your_vault") != std::string::npos) {
    problems->Add("the vault URL \"" + url +
                  "\" is the placeholder from config.example.json: " + fix);
  }
}

void CheckPerformance(const LoaderConfig& config, ProblemList* problems) {
  const PerformanceConfig& performance = config.performance;
  problems->CheckRange(performance.batch_size, 1, kMaxBatchSize, "batch size", "batch-size",
                       "performance.batch_size");
  problems->CheckRange(performance.max_concurrency, 1, kMaxConcurrency, "concurrency",
                       "concurrency", "performance.max_concurrency");
  if (performance.max_records.has_value()) {
    problems->CheckRange(*performance.max_records, 0, std::nullopt, "max records (0 = unlimited)",
                         "max-records", "performance.max_records");
  }
  problems->CheckRange(performance.base_delay_ms, 0, std::nullopt, "base delay", "base-delay-ms",
                       "performance.base_delay_ms");
  problems->CheckRange(performance.max_attempts, 1, kMaxAttempts, "max attempts", "max-attempts",
                       "performance.max_attempts");
  problems->CheckRange(performance.request_timeout_ms, 1, std::nullopt, "request timeout (ms)",
                       "request-timeout-ms", "performance.request_timeout_ms");
  problems->CheckRange(performance.retry_base_delay_ms, 0, std::nullopt, "retry base delay (ms)",
                       "retry-base-delay-ms", "performance.retry_base_delay_ms");
  if (performance.retry_base_delay_ms >= 0 &&
      performance.retry_max_delay_ms < performance.retry_base_delay_ms) {
    problems->Add("retry max delay (" + std::to_string(performance.retry_max_delay_ms) +
                  " ms) must be at least the retry base delay (" +
                  std::to_string(performance.retry_base_delay_ms) +
                  " ms): " + Fix("retry-max-delay-ms", "performance.retry_max_delay_ms"));
  }
  const std::string mode = AsciiLowered(performance.concurrency_mode);
  if (mode != "adaptive" && mode != "fixed") {
    problems->Add("unknown concurrency mode \"" + performance.concurrency_mode +
                  "\" (expected adaptive or fixed): " +
                  Fix("concurrency-mode", "performance.concurrency_mode"));
  }
  if (!ParseDuration(performance.max_retry_time)) {
    problems->Add("max retry time \"" + performance.max_retry_time +
                  "\" is not a duration (write it like 30m, 1h30m or 90s): " +
                  Fix("max-retry-time", "performance.max_retry_time"));
  }
  const std::string api = AsciiLowered(performance.api);
  if (api != "table" && api != "batch") {
    problems->Add("unknown insert API \"" + performance.api +
                  "\" (expected table, the per-table endpoint, or batch, the batch endpoint "
                  "with per-record answers): " +
                  Fix("api", "performance.api"));
  }
}

void CheckRunOptions(const LoaderConfig& config, ProblemList* problems) {
  const RunOptions& run = config.run;
  if (!ParseDuration(run.drain_timeout)) {
    problems->Add("drain timeout \"" + run.drain_timeout +
                  "\" is not a duration (write it like 30s or 2m): pass -drain-timeout");
  }
  if (!config.metrics.address.empty()) {
    if (Result<HostPort> address = ParseHostPort(config.metrics.address); !address.ok()) {
      problems->Add("metrics " + address.status().message() + ": " +
                    Fix("metrics-addr", "metrics.address"));
    }
  }
  // A random suffix differs in every run: a resumed run could not send the
  // records of the stopped one again under the same names.
  if (run.resume && config.performance.append_suffix) {
    problems->Add(
        "-resume cannot go on with a run that uses -append-suffix (each run draws "
        "new suffixes); start a new run instead");
  }
}

void CheckRecordRange(const RunOptions& run, ProblemList* problems) {
  problems->CheckRange(run.start_record, 0, std::nullopt, "start record", "start-record", "");
  problems->CheckRange(run.end_record, 0, std::nullopt, "end record (0 = no end)", "end-record",
                       "");
  if (run.start_record >= 0 && run.end_record > 0 && run.end_record <= run.start_record) {
    problems->Add("end record (" + std::to_string(run.end_record) +
                  ") must be greater than start record (" + std::to_string(run.start_record) +
                  "), or 0 for no end: " + Fix("end-record", ""));
  }
}

void CheckErrorLogOptions(const RunOptions& run, ProblemList* problems) {
  if (run.error_log_format != "jsonl" && run.error_log_format != "go") {
    problems->Add("unknown error log format \"" + run.error_log_format +
                  "\" (expected jsonl, or go for the Go loader's error_log_<VAULT>_<time>.json "
                  "as well): " +
                  Fix("error-log-format", ""));
  }
  if (run.source != SourceKind::kErrorLog && (run.error_log_all || run.error_log_skip_torn)) {
    problems->Add(std::string(run.error_log_all ? "-error-log-all" : "-error-log-skip-torn") +
                  " only applies when reprocessing an error log: add -error-log PATH");
  }
}

void CheckSnowflake(const SnowflakeConfig& snowflake, ProblemList* problems) {
  const std::string mode = AsciiLowered(snowflake.query_mode);
  if (mode != "simple" && mode != "union" && mode != "generic") {
    problems->Add(
        "unknown Snowflake query mode \"" + snowflake.query_mode +
        "\" (expected simple, union or generic): " + Fix("sf-query-mode", "snowflake.query_mode"));
  }
  problems->CheckRange(snowflake.fetch_size, 1, std::nullopt, "Snowflake fetch size",
                       "sf-fetch-size", "snowflake.fetch_size");
  const std::string authenticator = AsciiLowered(snowflake.authenticator);
  if (authenticator == "snowflake") {
    problems->Add(
        "Snowflake authenticator \"snowflake\" (a password) is not supported: Snowflake no "
        "longer accepts single-factor passwords for service users, and its SQL API never did. "
        "Create a programmatic access token (Snowsight: your profile > Settings > "
        "Authentication > Generate new token; or ALTER USER ... ADD PROGRAMMATIC ACCESS TOKEN) "
        "and use -sf-authenticator programmatic_access_token with SNOWFLAKE_PAT, or register a "
        "key pair (ALTER USER ... SET RSA_PUBLIC_KEY='...') and use -sf-authenticator "
        "SNOWFLAKE_JWT with -sf-private-key-file");
  } else if (!authenticator.empty() && authenticator != "programmatic_access_token" &&
             authenticator != "snowflake_jwt") {
    problems->Add("unknown Snowflake authenticator \"" + snowflake.authenticator +
                  "\" (expected programmatic_access_token or SNOWFLAKE_JWT): " +
                  Fix("sf-authenticator", "snowflake.authenticator"));
  }
  problems->CheckRange(snowflake.prefetch, 1, 64, "Snowflake partitions prefetched", "sf-prefetch",
                       "snowflake.prefetch");
  problems->CheckRange(snowflake.statement_timeout_seconds, 0, 604800,
                       "Snowflake statement timeout (seconds)", "",
                       "snowflake.statement_timeout_seconds");
  const struct {
    const std::string& value;
    std::string_view what, flag, key;
  } required[] = {
      {snowflake.account, "Snowflake account", "sf-account", "snowflake.account"},
      {snowflake.user, "Snowflake user", "sf-user", "snowflake.user"},
      {snowflake.warehouse, "Snowflake warehouse", "sf-warehouse", "snowflake.warehouse"},
      {snowflake.database, "Snowflake database", "sf-database", "snowflake.database"},
      {snowflake.schema, "Snowflake schema", "sf-schema", "snowflake.schema"},
  };
  for (const auto& field : required) {
    if (field.value.empty()) {
      problems->Add(std::string(field.what) + " is not set: " + Fix(field.flag, field.key));
    }
  }
  if (mode == "simple" && snowflake.table.empty()) {
    problems->Add("Snowflake table is not set (simple query mode): " +
                  Fix("sf-table", "snowflake.table"));
  }
  if (mode == "generic") {
    if (snowflake.clm_table.empty()) {
      problems->Add("Snowflake CLM table is not set (generic query mode): " +
                    Fix("sf-clm-table", "snowflake.clm_table"));
    }
    if (snowflake.mbr_table.empty()) {
      problems->Add("Snowflake MBR table is not set (generic query mode): " +
                    Fix("sf-mbr-table", "snowflake.mbr_table"));
    }
  }
}

// Query-based sources read each selected vault's pairs with its own SQL.
void CheckQueries(const LoaderConfig& config, ProblemList* problems) {
  const std::vector<VaultConfig>& vaults = config.skyflow.vaults;
  for (size_t i = 0; i < vaults.size(); ++i) {
    if (vaults[i].name.empty() || !IsSelected(config, vaults[i])) continue;
    if (vaults[i].query.find_first_not_of(" \t\r\n;") == std::string::npos) {
      problems->Add("vault " + vaults[i].name + " has no query for -source " +
                    SourceKindName(config.run.source) + ": " + Fix("", VaultKey(i, "query")) +
                    " to SQL returning two columns, the value then the token");
    }
  }
}

void CheckSource(const LoaderConfig& config, ProblemList* problems) {
  switch (config.run.source) {
    case SourceKind::kCsv:
      if (config.csv.data_directory.empty()) {
        problems->Add("the CSV data directory is not set: " +
                      Fix("data-dir", "csv.data_directory"));
      }
      problems->CheckRange(config.csv.max_field_bytes, 1, int64_t{1} << 30,
                           "maximum CSV field size (bytes)", "max-field-bytes",
                           "csv.max_field_bytes");
      return;
    case SourceKind::kSnowflake:
      CheckSnowflake(config.snowflake, problems);
      return;
    case SourceKind::kErrorLog:
      if (config.run.error_log_path.empty()) {
        problems->Add("source error-log needs the error log to read: set -error-log PATH");
      }
      return;
    case SourceKind::kPostgres:
      CheckQueries(config, problems);
      return;
  }
  problems->Add("unknown source (expected csv, snowflake, postgres or error-log): set -source");
}

// verify's own settings, and what it cannot be combined with: it reads the
// vaults and exits, and it can only check pairs it can read again.
void CheckVerify(const LoaderConfig& config, ProblemList* problems) {
  const RunOptions& run = config.run;
  if (!run.verify) {
    if (run.sample != 0) {
      problems->Add("-sample only applies to verify: run skyflow-loader verify -sample " +
                    std::to_string(run.sample));
    }
    if (!run.verify_report_path.empty()) {
      problems->Add(
          "-verify-report only applies to verify: run skyflow-loader verify "
          "-verify-report PATH");
    }
    return;
  }
  problems->CheckRange(run.sample, 0, std::nullopt, "the sample size (0 = every record)", "sample",
                       "");
  if (run.generate_count.has_value() || run.clear || run.dry_run) {
    problems->Add(
        "verify reads the vaults and exits: run it on its own, not with -generate, -clear or "
        "-dry-run");
  }
  if (config.performance.append_suffix) {
    problems->Add(
        "verify cannot check a load made with -append-suffix (each value and token got a random "
        "suffix that the source does not hold): " +
        Fix("append-suffix=false", "performance.append_suffix to false"));
  }
}

}  // namespace

const VaultConfig* FindVaultByName(const std::vector<VaultConfig>& vaults, std::string_view name) {
  for (const VaultConfig& vault : vaults) {
    if (EqualsIgnoreCase(vault.name, name)) return &vault;
  }
  return nullptr;
}

std::vector<std::string> FindConfigProblems(const LoaderConfig& config, ConfigUse use) {
  ProblemList problems;
  CheckVaultList(config, &problems);
  if (config.run.generate_count.has_value()) {
    problems.CheckRange(*config.run.generate_count, 1, std::nullopt,
                        "the number of records to generate", "generate", "");
  }
  CheckVerify(config, &problems);
  if (!config.run.generate_target.empty() && !config.run.generate_count.has_value()) {
    problems.Add("-target only applies to -generate: add -generate N");
  }
  switch (use) {
    case ConfigUse::kGenerate:
      CheckSelectedVaults(config, /*needs_ids=*/false, &problems);
      if (config.csv.data_directory.empty()) {
        problems.Add("the CSV data directory is not set: " + Fix("data-dir", "csv.data_directory"));
      }
      break;
    case ConfigUse::kClear:
      CheckVaultUrl(config.skyflow.vault_url, &problems);
      CheckSelectedVaults(config, /*needs_ids=*/true, &problems);
      break;
    case ConfigUse::kDryRun:
      CheckSelectedVaults(config, /*needs_ids=*/false, &problems);
      CheckSource(config, &problems);
      CheckPerformance(config, &problems);
      CheckRecordRange(config.run, &problems);
      CheckErrorLogOptions(config.run, &problems);
      break;
    case ConfigUse::kLoad:
      CheckVaultUrl(config.skyflow.vault_url, &problems);
      // An error log names its own vault and vault ID, so reprocessing one
      // needs no IDs from the config.
      CheckSelectedVaults(config, /*needs_ids=*/config.run.source != SourceKind::kErrorLog,
                          &problems);
      CheckSource(config, &problems);
      CheckPerformance(config, &problems);
      CheckRecordRange(config.run, &problems);
      CheckRunOptions(config, &problems);
      CheckErrorLogOptions(config.run, &problems);
      break;
  }
  return problems.Take();
}

Status ValidateConfig(const LoaderConfig& config, ConfigUse use) {
  const std::vector<std::string> problems = FindConfigProblems(config, use);
  if (problems.empty()) return Status::Ok();
  if (problems.size() == 1) return Status::InvalidArgument(problems.front());
  std::string message = std::to_string(problems.size()) + " configuration problems:";
  for (const std::string& problem : problems)
    message += "\n  - " + problem;
  return Status::InvalidArgument(message);
}

}  // namespace skyflow
