#include "app/settings.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <tuple>

#include "config/config_loader.h"
#include "config/seed_vaults.h"
#include "postgres/dsn_redaction.h"
#include "util/ascii.h"
#include "util/small_file.h"

namespace skyflow {
namespace {

// An empty string flag or variable counts as absent (see settings.h).
bool IsSet(const std::optional<std::string>& value) {
  return value.has_value() && !value->empty();
}

void Override(const std::optional<std::string>& flag, std::string* field) {
  if (IsSet(flag)) *field = *flag;
}

template <typename T>
void Override(const std::optional<T>& flag, T* field) {
  if (flag.has_value()) *field = *flag;
}

Result<SourceKind> ParseSource(std::string_view text) {
  const std::string lower = AsciiLowered(text);
  if (lower == "csv") return SourceKind::kCsv;
  if (lower == "snowflake") return SourceKind::kSnowflake;
  if (lower == "error-log") return SourceKind::kErrorLog;
  if (lower == "postgres") return SourceKind::kPostgres;
  std::string message = "unknown source \"" + std::string(text) +
                        "\" for -source: expected csv, snowflake, postgres or error-log";
  if (std::optional<std::string> suggestion =
          ClosestMatch(text, {"csv", "snowflake", "postgres", "error-log"})) {
    message += " (did you mean " + *suggestion + "?)";
  }
  return Status::InvalidArgument(message);
}

Status LoadConfigLayer(const CommandLine& command_line, Settings* settings) {
  const bool explicit_path = IsSet(command_line.config_path);
  const std::string path = explicit_path ? *command_line.config_path : kDefaultConfigPath;
  Status status = LoadConfigFile(path, &settings->config, &settings->warnings);
  if (status.ok()) {
    settings->config_path = path;
    return Status::Ok();
  }
  if (status.code() == StatusCode::kNotFound && !explicit_path) {
    settings->notes.emplace_back(
        "no config.json in the current directory: using built-in defaults, the environment and "
        "flags (to create one: cp config.example.json config.json)");
    return Status::Ok();
  }
  return status;
}

// The permission bits of `path` as "644" when group or others may read it.
std::optional<std::string> ReadableByOthers(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || (info.st_mode & 077) == 0) return std::nullopt;
  char mode[8];
  std::snprintf(mode, sizeof(mode), "%03o", static_cast<unsigned>(info.st_mode & 0777));
  return std::string(mode);
}

// -token-file (or skyflow.bearer_token_file): the token is the file's first
// line, so that a file written by `echo` or an editor works as it is.
Status ReadTokenFile(const CommandLine& flags, Settings* settings) {
  SkyflowConfig& skyflow = settings->config.skyflow;
  if (IsSet(flags.token_file)) skyflow.bearer_token_file = *flags.token_file;
  if (skyflow.bearer_token_file.empty()) return Status::Ok();
  constexpr size_t kMaxTokenFileBytes = 64 * 1024;
  Result<std::string> text = ReadSmallFile(skyflow.bearer_token_file, kMaxTokenFileBytes);
  if (!text.ok()) {
    return Status(text.status().code(), "-token-file: " + text.status().message());
  }
  std::string token = text->substr(0, text->find('\n'));
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ' || token.back() == '\t'))
    token.pop_back();
  if (token.empty()) {
    return Status::InvalidArgument("-token-file " + skyflow.bearer_token_file +
                                   " is empty: put the bearer token on its first line");
  }
  skyflow.bearer_token = std::move(token);
  settings->bearer_token_origin = skyflow.bearer_token_file;
  if (std::optional<std::string> mode = ReadableByOthers(skyflow.bearer_token_file)) {
    settings->warnings.push_back(skyflow.bearer_token_file +
                                 " holds the bearer token and other users can read it (mode " +
                                 *mode + "): chmod 600 " + skyflow.bearer_token_file);
  }
  return Status::Ok();
}

// Secrets kept where others can read them still work (the Go loader takes
// them so), with a warning saying how to keep them private.
void WarnAboutExposedSecrets(const CommandLine& flags, Settings* settings) {
  const LoaderConfig& config = settings->config;
  const bool file_holds_secret = !config.skyflow.bearer_token.empty() ||
                                 !config.snowflake.password.empty() ||
                                 !postgres::DsnPasswords(config.postgres.dsn).empty();
  if (file_holds_secret && !settings->config_path.empty()) {
    if (std::optional<std::string> mode = ReadableByOthers(settings->config_path)) {
      settings->warnings.push_back(settings->config_path +
                                   " holds a secret and other users can read it (mode " + *mode +
                                   "): chmod 600 " + settings->config_path);
    }
  }
  for (const auto& [given, name, instead] :
       {std::tuple{IsSet(flags.token), "-token", "SKYFLOW_BEARER_TOKEN or the config file"},
        std::tuple{IsSet(flags.sf_password), "-sf-password", "the config file (mode 600)"},
        std::tuple{IsSet(flags.pg_dsn) && !postgres::DsnPasswords(*flags.pg_dsn).empty(),
                   "a password in -pg-dsn", "PGPASSWORD, ~/.pgpass or the config file"}}) {
    if (!given) continue;
    settings->warnings.push_back(std::string(name) +
                                 " on the command line can be seen by other users of this machine "
                                 "(ps, /proc): prefer " +
                                 instead);
  }
}

void ApplyEnvironment(const EnvironmentLookup& environment, Settings* settings) {
  if (std::optional<std::string> token = environment(kBearerTokenVariable); IsSet(token)) {
    settings->config.skyflow.bearer_token = *token;
    settings->bearer_token_origin = kBearerTokenVariable;
  }
  if (std::optional<std::string> url = environment(kVaultUrlVariable); IsSet(url)) {
    settings->config.skyflow.vault_url = *url;
  }
  SnowflakeConfig& snowflake = settings->config.snowflake;
  for (const char* variable : {kSnowflakePasswordVariable, kSnowflakePatVariable}) {
    if (std::optional<std::string> secret = environment(variable); IsSet(secret)) {
      snowflake.password = *secret;  // the PAT, read last, wins
    }
  }
  if (std::optional<std::string> passphrase = environment(kSnowflakePassphraseVariable);
      IsSet(passphrase)) {
    snowflake.private_key_passphrase = *passphrase;
  }
}

void ApplyFlags(const CommandLine& flags, LoaderConfig* config) {
  SkyflowConfig& skyflow = config->skyflow;
  Override(flags.token, &skyflow.bearer_token);
  Override(flags.vault_url, &skyflow.vault_url);

  Override(flags.data_dir, &config->csv.data_directory);
  Override(flags.max_field_bytes, &config->csv.max_field_bytes);

  SnowflakeConfig& sf = config->snowflake;
  Override(flags.sf_user, &sf.user);
  Override(flags.sf_password, &sf.password);
  Override(flags.sf_authenticator, &sf.authenticator);
  Override(flags.sf_account, &sf.account);
  Override(flags.sf_warehouse, &sf.warehouse);
  Override(flags.sf_database, &sf.database);
  Override(flags.sf_schema, &sf.schema);
  Override(flags.sf_role, &sf.role);
  Override(flags.sf_fetch_size, &sf.fetch_size);
  Override(flags.sf_query_mode, &sf.query_mode);
  Override(flags.sf_table, &sf.table);
  Override(flags.sf_clm_table, &sf.clm_table);
  Override(flags.sf_mbr_table, &sf.mbr_table);
  Override(flags.sf_url, &sf.url);
  Override(flags.sf_private_key_file, &sf.private_key_file);
  Override(flags.sf_udf_database, &sf.udf_database);
  Override(flags.sf_udf_schema, &sf.udf_schema);
  Override(flags.sf_prefetch, &sf.prefetch);
  Override(flags.pg_dsn, &config->postgres.dsn);

  PerformanceConfig& perf = config->performance;
  Override(flags.batch_size, &perf.batch_size);
  Override(flags.concurrency, &perf.max_concurrency);
  if (flags.max_records.has_value()) perf.max_records = flags.max_records;
  Override(flags.append_suffix, &perf.append_suffix);
  Override(flags.base_delay_ms, &perf.base_delay_ms);
  Override(flags.upsert, &perf.upsert);
  Override(flags.concurrency_mode, &perf.concurrency_mode);
  Override(flags.api, &perf.api);
  Override(flags.max_retry_time, &perf.max_retry_time);
  Override(flags.max_attempts, &perf.max_attempts);
  Override(flags.request_timeout_ms, &perf.request_timeout_ms);
  Override(flags.retry_base_delay_ms, &perf.retry_base_delay_ms);
  Override(flags.retry_max_delay_ms, &perf.retry_max_delay_ms);

  RunOptions& run = config->run;
  Override(flags.vault, &run.vault_filter);
  Override(flags.error_log, &run.error_log_path);
  Override(flags.error_log_all, &run.error_log_all);
  Override(flags.error_log_skip_torn, &run.error_log_skip_torn);
  if (IsSet(flags.error_log_format)) run.error_log_format = AsciiLowered(*flags.error_log_format);
  // Go's loader generates only for a positive count; -generate 0 is a normal
  // run. A negative count is kept so that validation reports it.
  if (flags.generate.has_value() && *flags.generate != 0) run.generate_count = flags.generate;
  Override(flags.seed, &run.seed);
  Override(flags.target, &run.generate_target);
  Override(flags.target_schema, &run.generate_target_schema);
  Override(flags.clear, &run.clear);
  Override(flags.clear_all, &run.clear_all);
  Override(flags.offline, &run.offline);
  Override(flags.start_record, &run.start_record);
  Override(flags.end_record, &run.end_record);
  Override(flags.run_dir, &run.run_dir);
  Override(flags.resume, &run.resume);
  Override(flags.drain_timeout, &run.drain_timeout);
  Override(flags.summary_json, &run.summary_json_path);
  Override(flags.metrics_addr, &config->metrics.address);
  Override(flags.yes, &run.assume_yes);
  Override(flags.dry_run, &run.dry_run);
  Override(flags.insecure, &run.insecure_skip_tls_verify);
  Override(flags.ca_file, &run.ca_file);
  Override(flags.verify, &run.verify);
  Override(flags.sample, &run.sample);
  Override(flags.verify_report, &run.verify_report_path);
}

Status ResolveSource(const CommandLine& flags, Settings* settings) {
  RunOptions& run = settings->config.run;
  if (IsSet(flags.source)) {
    Result<SourceKind> source = ParseSource(*flags.source);
    if (!source.ok()) return source.status();
    run.source = *source;
  }
  // The Go loader reprocesses the error log whenever -error-log is given,
  // whatever -source says; keep that, but say so.
  if (IsSet(flags.error_log) && run.source != SourceKind::kErrorLog) {
    if (IsSet(flags.source)) {
      settings->warnings.push_back(
          "-error-log is given, so the error log is reprocessed; -source " + *flags.source +
          " is ignored");
    }
    run.source = SourceKind::kErrorLog;
  }
  return Status::Ok();
}

int64_t DefaultMaxRecords(SourceKind source) {
  switch (source) {
    case SourceKind::kCsv:
      return 100000;
    // Guards against pulling a whole warehouse table by accident in a test run.
    case SourceKind::kSnowflake:
      return 100;
    // An error log holds exactly the records to retry: all of them; a
    // query says itself what to read (LIMIT).
    case SourceKind::kErrorLog:
    case SourceKind::kPostgres:
      return 0;
  }
  return 0;
}

}  // namespace

EnvironmentLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

ConfigUse ConfigUseFor(const RunOptions& run) {
  if (run.generate_count.has_value()) return ConfigUse::kGenerate;
  if (run.clear) return ConfigUse::kClear;
  if (run.dry_run) return ConfigUse::kDryRun;
  // verify reads the sources and the vaults: it needs what a load needs.
  return ConfigUse::kLoad;
}

Result<Settings> MergeSettings(const CommandLine& command_line,
                               const EnvironmentLookup& environment) {
  Settings settings;
  settings.config.skyflow.vaults = DefaultVaults();

  SKYFLOW_RETURN_IF_ERROR(LoadConfigLayer(command_line, &settings));
  // A config.json written for the Go loader names its vaults and nothing
  // more; the seed's per-vault layout fills in the rest.
  ApplySeedVaultDefaults(&settings.config.skyflow.vaults);
  if (!settings.config.skyflow.bearer_token.empty()) {
    settings.bearer_token_origin = settings.config_path;
  }
  WarnAboutExposedSecrets(command_line, &settings);
  SKYFLOW_RETURN_IF_ERROR(ReadTokenFile(command_line, &settings));
  ApplyEnvironment(environment, &settings);
  ApplyFlags(command_line, &settings.config);
  if (IsSet(command_line.token)) settings.bearer_token_origin = "-token";

  SKYFLOW_RETURN_IF_ERROR(ResolveSource(command_line, &settings));

  PerformanceConfig& performance = settings.config.performance;
  if (!performance.max_records.has_value()) {
    performance.max_records = DefaultMaxRecords(settings.config.run.source);
    if (settings.config.run.source == SourceKind::kSnowflake) {
      settings.notes.push_back(
          "Snowflake: reading at most " + std::to_string(*performance.max_records) +
          " rows per vault, the Go loader's default for trying a load out; -max-records 0 "
          "reads every row");
    }
  }

  RunOptions& run = settings.config.run;
  if (!run.vault_filter.empty()) {
    if (const VaultConfig* vault =
            FindVaultByName(settings.config.skyflow.vaults, run.vault_filter)) {
      run.vault_filter = vault->name;
    }
  }
  return settings;
}

Result<Settings> BuildSettings(const CommandLine& command_line,
                               const EnvironmentLookup& environment) {
  Result<Settings> settings = MergeSettings(command_line, environment);
  if (!settings.ok()) return settings;
  SKYFLOW_RETURN_IF_ERROR(ValidateConfig(settings->config, ConfigUseFor(settings->config.run)));
  return settings;
}

}  // namespace skyflow
