// Command-line flags, parsed the way Go's `flag` package parses them, so that
// every command line written for the Go loader works unchanged.
//
// Accepted syntax (Go's): -flag value, -flag=value, --flag value,
// --flag=value. A boolean flag takes no separate value: -upsert, -upsert=true,
// -upsert=false (1, 0, t, f, T, F, true, false, TRUE, FALSE, True, False).
// "--" ends the flags. -h, -help and --help ask for help; -help=markdown asks
// for the flag table in Markdown (HelpMarkdown, for the README). One word may
// come before the flags: "verify" (the same as -verify), or "status" (which
// takes only -run-dir), the command name. Integer flags take a
// decimal number, optionally signed. A flag given twice keeps its last value.
//
// Where this parser is stricter than Go's, it is to turn a silent mistake into
// a message (the result is a usage error, exit code 2):
//   - Go stops at the first argument that is not a flag and the loader ignored
//     the rest; here any such argument is an error ("-upsert false" would
//     otherwise quietly leave upsert on).
//   - A flag that needs a value followed by another defined flag
//     ("-token -source csv") is "flag needs an argument", where Go would take
//     "-source" as the token.
// Error messages name the flag but never repeat the value of a secret flag
// (-token, -sf-password, -pg-dsn, -target), nor an argument that may be part of one.
//
// The flag table (FlagRegistry) is the single source of truth: the parser,
// the help text and the "did you mean" hints all read it. Stateless and
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "util/status.h"

namespace skyflow {

// What was given on the command line; nullopt means "not given", so that the
// settings layer can let the environment and config file fill it instead.
struct CommandLine {
  bool help_requested = false;
  bool status = false;         // the leading word "status"
  bool help_markdown = false;  // -help=markdown: the flag table for the README

  // Core
  std::optional<std::string> config_path;  // -config
  std::optional<std::string> token;
  std::optional<std::string> token_file;  // -token (secret)
  std::optional<std::string> source;      // -source
  std::optional<std::string> error_log;   // -error-log
  std::optional<std::string> vault;       // -vault
  std::optional<std::string> vault_url;   // -vault-url
  // -error-log-all, -error-log-skip-torn
  std::optional<bool> error_log_all;
  std::optional<bool> error_log_skip_torn;

  // CSV source
  std::optional<std::string> data_dir;  // -data-dir
  std::optional<int64_t> max_field_bytes;

  // Snowflake source
  std::optional<std::string> sf_user;
  std::optional<std::string> sf_password;  // secret
  std::optional<std::string> sf_authenticator;
  std::optional<std::string> sf_account;
  std::optional<std::string> sf_warehouse;
  std::optional<std::string> sf_database;
  std::optional<std::string> sf_schema;
  std::optional<std::string> sf_role;
  std::optional<int64_t> sf_fetch_size;
  std::optional<std::string> sf_query_mode;
  std::optional<std::string> sf_table;
  std::optional<std::string> sf_clm_table;
  std::optional<std::string> sf_mbr_table;
  std::optional<std::string> sf_url;
  std::optional<std::string> sf_private_key_file;
  std::optional<std::string> sf_udf_database;
  std::optional<std::string> sf_udf_schema;
  std::optional<int64_t> sf_prefetch;

  // PostgreSQL source
  std::optional<std::string> pg_dsn;  // secret: may hold a password
  std::optional<int64_t> start_record;
  std::optional<int64_t> end_record;

  // Performance
  std::optional<int64_t> batch_size;
  std::optional<int64_t> concurrency;
  std::optional<int64_t> max_records;
  std::optional<bool> append_suffix;
  std::optional<int64_t> base_delay_ms;
  std::optional<bool> upsert;

  // Reliability
  std::optional<std::string> concurrency_mode;
  std::optional<std::string> api;
  std::optional<std::string> max_retry_time;
  std::optional<int64_t> max_attempts;
  std::optional<int64_t> request_timeout_ms;
  std::optional<int64_t> retry_base_delay_ms;
  std::optional<int64_t> retry_max_delay_ms;
  std::optional<std::string> ca_file;
  std::optional<bool> insecure;

  // Output
  std::optional<std::string> run_dir;
  std::optional<bool> resume;
  std::optional<std::string> drain_timeout;
  std::optional<std::string> summary_json;
  std::optional<std::string> error_log_format;
  std::optional<std::string> metrics_addr;  // -metrics-addr
  std::optional<std::string> log_format;    // -log-format text|json
  std::optional<bool> verbose;              // -v, -verbose
  std::optional<bool> quiet;                // -q, -quiet

  // Utility
  std::optional<int64_t> generate;
  std::optional<std::string> target;  // -target (secret: may hold a password)
  std::optional<std::string> target_schema;
  std::optional<bool> clear;
  std::optional<bool> clear_all;
  std::optional<bool> offline;
  std::optional<bool> yes;
  std::optional<bool> dry_run;
  std::optional<uint64_t> seed;

  // Verify: a leading word "verify" sets it too.
  std::optional<bool> verify;
  std::optional<int64_t> sample;
  std::optional<std::string> verify_report;
};

// Help sections, in the order they are printed.
enum class FlagGroup {
  kCore,
  kCsv,
  kSnowflake,
  kPerformance,
  kReliability,
  kOutput,
  kUtility,
  kVerify
};

// Where a flag's parsed value goes; the alternative also fixes the flag's kind.
using FlagTarget =
    std::variant<std::optional<std::string> CommandLine::*, std::optional<int64_t> CommandLine::*,
                 std::optional<uint64_t> CommandLine::*, std::optional<bool> CommandLine::*>;

struct FlagSpec {
  std::string name;  // without dashes: "batch-size"
  FlagGroup group;
  FlagTarget target;
  std::string value_name;    // shown in help: "N", "PATH"; empty for booleans
  std::string default_text;  // shown in help; empty = no default worth showing
  std::string help;
  bool secret = false;  // value never appears in messages
  std::string alias{};  // a one-letter name that works too ("v" for -verbose); may be empty

  bool IsBool() const { return std::holds_alternative<std::optional<bool> CommandLine::*>(target); }
};

// Every flag, in help order.
const std::vector<FlagSpec>& FlagRegistry();

// The flag called `name` or `alias` (without dashes), or null.
const FlagSpec* FindFlag(std::string_view name);

// Parses arguments (without the program name). InvalidArgument on a usage
// error; the message is one line, suitable for "<program>: <message>".
Result<CommandLine> ParseCommandLine(std::span<const std::string> args);

// Convenience for main: skips argv[0].
Result<CommandLine> ParseCommandLine(int argc, const char* const* argv);

// `args` (already parsed without error) without the flags named in `drop`
// and without any secret flag, each with its value: what a run directory
// records so that -resume can start the same run again, no secret included.
std::vector<std::string> ArgumentsWithout(std::span<const std::string> args,
                                          const std::vector<std::string_view>& drop);

// The full -help text: usage line, flags by group with defaults, exit codes,
// environment variables and precedence.
std::string HelpText(std::string_view program);

// The flags as Markdown tables, one per help section (flag, default,
// description), from the same registry as HelpText: README.md holds this
// text between <!-- flags:begin --> and <!-- flags:end -->.
std::string HelpMarkdown();

}  // namespace skyflow
