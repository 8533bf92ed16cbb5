// LoaderConfig: everything a run needs to know, after flags, environment and
// config.json have been merged (see config_loader.h and app/flags.h for the
// precedence: flag > environment > config file > default).
//
// Field names follow config.json so that a reader can map one to the other.
// Plain data; validated by ValidateConfig before use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skyflow {

// One vault's columns in the Snowflake tables the query modes read.
struct SnowflakeVaultColumns {
  // simple mode: SELECT DISTINCT <value_expression> AS <value_column>,
  // <token_column> FROM <table>; value_expression defaults to value_column.
  std::string value_column;
  std::string value_expression;
  std::string token_column;
  // union and generic modes: the value's column in the CLM and MBR tables
  // (generic mode reads the token from <column>_TOKEN), and union mode's
  // detokenising UDF, called as <udf_database>.<udf_schema>.<detok_udf>.
  std::string clm_column;
  std::string mbr_column;
  std::string detok_udf;
};

struct VaultConfig {
  std::string name;    // NAME, ID, DOB, SSN: selects the vault with -vault
  std::string id;      // Skyflow vault ID (path segment of the insert URL)
  std::string column;  // column that receives the value and its token
  std::string table;   // table to insert into; defaults to `column`

  // CSV layout; empty means the default derived from name/column:
  //   <lower(name)>_data.csv with header <value_header>,
  //   <lower(name)>_tokens.csv with header <value_header>_token,
  // where value_header defaults to `column` (the seed's NAME vault sets
  // "full_name": see config/seed_vaults.h).
  std::string data_file;
  std::string tokens_file;
  std::string value_header;
  std::string token_header;

  // Any SQL returning (value, token) for this vault; replaces the Snowflake
  // query modes, and is what -source postgres reads.
  std::string query;

  // Where the vault's rows are in Snowflake's tables, for the query modes
  // (config.json: the vault's "snowflake" object; see
  // source/snowflake_query.h for the SQL each mode builds).
  SnowflakeVaultColumns snowflake;

  // What -generate writes for this vault: "name", "id", "dob", "ssn" or
  // "generic" (source/mock_data_generator.h describes each).
  std::string mock_values;

  const std::string& TableName() const { return table.empty() ? column : table; }
};

struct SkyflowConfig {
  std::string vault_url;
  std::string bearer_token;  // secret: never printed, see util/redact.h
  // A file holding the bearer token on its first line (-token-file); read by
  // the settings, its token wins over bearer_token.
  std::string bearer_token_file;
  std::vector<VaultConfig> vaults;
};

struct SnowflakeConfig {
  std::string user;
  std::string password;  // secret
  std::string authenticator;
  std::string account = "JYSROBN-PROVIDER_1";
  std::string warehouse = "APP_WH";
  std::string database = "SKYFLOW_DEMO";
  std::string schema = "PUBLIC";
  std::string role = "ACCOUNTADMIN";
  int64_t fetch_size = 100000;
  std::string query_mode = "simple";
  std::string table = "ELEVANCE.PUBLIC.PATIENTS";
  std::string clm_table = "CLM";
  std::string mbr_table = "MBR";
  // Where union mode's UDFs live; empty = `database` / `schema`.
  std::string udf_database;
  std::string udf_schema;
  // The SQL API's base URL; empty = https://<account>.snowflakecomputing.com.
  // http:// is accepted for loopback hosts only (the local emulator).
  std::string url;
  // Key-pair authentication (SNOWFLAKE_JWT): a PEM PKCS#8 private key file,
  // encrypted or not, and its passphrase (secret; usually from
  // SNOWFLAKE_PRIVATE_KEY_PASSPHRASE).
  std::string private_key_file;
  std::string private_key_passphrase;  // secret
  // Result partitions fetched ahead of the one being loaded.
  int64_t prefetch = 4;
  // Seconds a statement may run before Snowflake cancels it (0 = its maximum).
  int64_t statement_timeout_seconds = 3600;
};

struct PostgresConfig {
  // libpq connection string (keyword=value pairs or a postgres:// URI);
  // empty = libpq's PG* environment variables. May hold a password: secret.
  std::string dsn;
};

struct CsvConfig {
  std::string data_directory = "data";
  // Longest field accepted; a longer unquoted field rejects its row, a
  // longer quoted one (a quote never closed) stops the file.
  int64_t max_field_bytes = int64_t{1} << 20;
};

struct PerformanceConfig {
  int64_t batch_size = 300;
  int64_t max_concurrency = 32;
  // Maximum rows read per vault; 0 = unlimited. The seed's default is 100000
  // for CSV and 100 for Snowflake; nullopt means "the source's default".
  std::optional<int64_t> max_records;
  bool append_suffix = false;
  int64_t base_delay_ms = 0;
  bool upsert = false;
  int64_t max_attempts = 5;  // attempts per batch, first one included
  int64_t request_timeout_ms = 60000;
  int64_t retry_base_delay_ms = 250;  // first backoff ceiling; doubles per retry
  int64_t retry_max_delay_ms = 30000;
  // "adaptive": AIMD between 1 and max_concurrency; "fixed": always
  // max_concurrency in flight, as the Go loader does.
  std::string concurrency_mode = "adaptive";
  // How long a batch keeps being resent without progress (429/503 included)
  // before its records are reported failed; a Go duration ("30m", "1h").
  std::string max_retry_time = "30m";
  // "table": the per-table insert endpoint (all-or-nothing, bad records
  // isolated by splitting); "batch": the batch endpoint with
  // continueOnError (an answer per record).
  std::string api = "table";
};

// The metrics page (Prometheus text at /metrics) served while a load runs.
struct MetricsConfig {
  // HOST:PORT to listen on (util/host_port.h; port 0: any free port); empty:
  // no listener at all.
  std::string address;
};

enum class SourceKind { kCsv, kSnowflake, kErrorLog, kPostgres };

struct RunOptions {
  SourceKind source = SourceKind::kCsv;
  std::string vault_filter;               // -vault: empty = all vaults
  std::string error_log_path;             // -error-log
  std::optional<int64_t> generate_count;  // -generate N: write data and exit
  uint64_t seed = 1;                      // -seed: generator and jitter
  bool clear = false;                     // -clear: delete every record, then exit
  bool clear_all = false;                 // -clear-all: one delete of ["*"] per vault
  bool offline = false;                   // -offline
  int64_t start_record = 0;               // -start-record
  int64_t end_record = 0;                 // -end-record (0 = no end)
  std::string run_dir;                    // -run-dir; empty = skyflow-run_<time>
  bool resume = false;                    // -resume
  std::string drain_timeout = "30s";      // -drain-timeout (Go duration)
  std::string summary_json_path;          // -summary-json; empty = none
  bool assume_yes = false;                // -yes: skip confirmations
  bool dry_run = false;                   // -dry-run: read and check sources, send nothing
  bool insecure_skip_tls_verify = false;  // -insecure: only for test CAs
  std::string ca_file;                    // -ca-file: extra trusted CA bundle
  bool verify = false;                    // verify / -verify: check the vault holds the source
  int64_t sample = 0;                     // -sample N: verify N random records per vault
  std::string verify_report_path;         // -verify-report; empty = timestamped default
  // Reprocessing (-error-log): -error-log-all resends every record of the
  // log; -error-log-skip-torn passes over a last line a crash cut short.
  bool error_log_all = false;
  bool error_log_skip_torn = false;
  // -error-log-format: "jsonl" (the rejects file), or "go" for the Go
  // loader's error_log_<VAULT>_<time>.json of each vault as well.
  std::string error_log_format = "jsonl";
  // -target: a postgres:// URL for -generate; empty = CSV files.
  std::string generate_target;
  // -target-schema: the schema of the -target tables.
  std::string generate_target_schema = "skyflow_poc";
};

struct LoaderConfig {
  SkyflowConfig skyflow;
  SnowflakeConfig snowflake;
  CsvConfig csv;
  PostgresConfig postgres;
  PerformanceConfig performance;
  MetricsConfig metrics;
  RunOptions run;
};

// The four vaults of the seed (NAME, ID, DOB, SSN) with empty IDs.
std::vector<VaultConfig> DefaultVaults();

const char* SourceKindName(SourceKind kind);

}  // namespace skyflow
