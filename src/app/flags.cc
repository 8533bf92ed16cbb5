#include "app/flags.h"

#include <algorithm>
#include <charconv>
#include <type_traits>
#include <utility>

#include "config/config_loader.h"
#include "config/loader_config.h"

namespace skyflow {
namespace {

using StringFlag = std::optional<std::string> CommandLine::*;
using IntFlag = std::optional<int64_t> CommandLine::*;
using UintFlag = std::optional<uint64_t> CommandLine::*;
using BoolFlag = std::optional<bool> CommandLine::*;

std::vector<FlagSpec> BuildRegistry() {
  // Defaults shown in help come from the config model itself, so the help
  // cannot drift from what a run actually uses.
  const LoaderConfig defaults;
  const SnowflakeConfig& sf = defaults.snowflake;
  const PerformanceConfig& perf = defaults.performance;
  const auto n = [](int64_t value) { return std::to_string(value); };
  using G = FlagGroup;
  return {
      {"config", G::kCore, StringFlag{&CommandLine::config_path}, "PATH", "config.json",
       "Config file (JSON; see config.example.json). A missing default file is not an error."},
      {"token", G::kCore, StringFlag{&CommandLine::token}, "TOKEN", "",
       "Skyflow bearer token; overrides SKYFLOW_BEARER_TOKEN and skyflow.bearer_token.", true},
      {"token-file", G::kCore, StringFlag{&CommandLine::token_file}, "PATH", "",
       "File whose first line is the bearer token (skyflow.bearer_token_file); below -token and "
       "SKYFLOW_BEARER_TOKEN, above skyflow.bearer_token."},
      {"source", G::kCore, StringFlag{&CommandLine::source}, "KIND", "csv",
       "Data source: csv, snowflake, postgres or error-log."},
      {"error-log", G::kCore, StringFlag{&CommandLine::error_log}, "PATH", "",
       "Error log to reprocess: this loader's JSON Lines log or the Go loader's "
       "error_log_<VAULT>_<time>.json; implies -source error-log. Shows what the log holds and "
       "asks before sending (-yes in scripts)."},
      {"error-log-all", G::kCore, BoolFlag{&CommandLine::error_log_all}, "", "",
       "With -error-log: resend every record of the log, not only those whose failure can change "
       "on a retry (see the README's retry rules)."},
      {"error-log-skip-torn", G::kCore, BoolFlag{&CommandLine::error_log_skip_torn}, "", "",
       "With -error-log: reprocess a log whose last line a crash cut short; that line's record "
       "is reported, not resent."},
      {"vault", G::kCore, StringFlag{&CommandLine::vault}, "NAME", "all",
       "Process only this vault: name, id, dob, ssn or any name in skyflow.vaults "
       "(case-insensitive)."},
      {"vault-url", G::kCore, StringFlag{&CommandLine::vault_url}, "URL", "",
       "Vault URL, https://<cluster>.vault.skyflowapis.com; overrides SKYFLOW_VAULT_URL and "
       "skyflow.vault_url."},

      {"data-dir", G::kCsv, StringFlag{&CommandLine::data_dir}, "DIR", defaults.csv.data_directory,
       "Directory with the <vault>_data.csv and <vault>_tokens.csv files."},
      {"max-field-bytes", G::kCsv, IntFlag{&CommandLine::max_field_bytes}, "N",
       n(defaults.csv.max_field_bytes),
       "Longest CSV field accepted (csv.max_field_bytes); a longer value rejects its row."},

      {"sf-user", G::kSnowflake, StringFlag{&CommandLine::sf_user}, "USER", "",
       "Snowflake user (snowflake.user)."},
      {"sf-password", G::kSnowflake, StringFlag{&CommandLine::sf_password}, "SECRET", "",
       "Snowflake programmatic access token (snowflake.password); SNOWFLAKE_PAT keeps it out of "
       "the process list.",
       true},
      {"sf-authenticator", G::kSnowflake, StringFlag{&CommandLine::sf_authenticator}, "METHOD",
       "programmatic_access_token, or SNOWFLAKE_JWT with -sf-private-key-file",
       "Snowflake authentication: programmatic_access_token or SNOWFLAKE_JWT (key pair); "
       "snowflake (a password) is refused, as Snowflake refuses it."},
      {"sf-account", G::kSnowflake, StringFlag{&CommandLine::sf_account}, "ACCOUNT", sf.account,
       "Snowflake account identifier (ORG-ACCOUNT)."},
      {"sf-warehouse", G::kSnowflake, StringFlag{&CommandLine::sf_warehouse}, "NAME", sf.warehouse,
       "Snowflake warehouse."},
      {"sf-database", G::kSnowflake, StringFlag{&CommandLine::sf_database}, "NAME", sf.database,
       "Snowflake database."},
      {"sf-schema", G::kSnowflake, StringFlag{&CommandLine::sf_schema}, "NAME", sf.schema,
       "Snowflake schema."},
      {"sf-role", G::kSnowflake, StringFlag{&CommandLine::sf_role}, "NAME", sf.role,
       "Snowflake role."},
      {"sf-fetch-size", G::kSnowflake, IntFlag{&CommandLine::sf_fetch_size}, "N", n(sf.fetch_size),
       "Accepted for compatibility; over the SQL API Snowflake chooses the partition sizes."},
      {"sf-query-mode", G::kSnowflake, StringFlag{&CommandLine::sf_query_mode}, "MODE",
       sf.query_mode,
       "simple (one table), union (CLM/MBR with detokenizing UDFs) or generic (CLM/MBR *_TOKEN "
       "columns)."},
      {"sf-table", G::kSnowflake, StringFlag{&CommandLine::sf_table}, "TABLE", sf.table,
       "Table read in simple mode; prefixed with database.schema when it has no dots."},
      {"sf-clm-table", G::kSnowflake, StringFlag{&CommandLine::sf_clm_table}, "TABLE", sf.clm_table,
       "CLM table for union and generic modes."},
      {"sf-mbr-table", G::kSnowflake, StringFlag{&CommandLine::sf_mbr_table}, "TABLE", sf.mbr_table,
       "MBR table for union and generic modes."},
      {"sf-udf-database", G::kSnowflake, StringFlag{&CommandLine::sf_udf_database}, "NAME", "",
       "Database of union mode's detokenizing UDFs (snowflake.udf_database); default "
       "-sf-database."},
      {"sf-udf-schema", G::kSnowflake, StringFlag{&CommandLine::sf_udf_schema}, "NAME", "",
       "Schema of union mode's detokenizing UDFs (snowflake.udf_schema); default -sf-schema."},
      {"sf-url", G::kSnowflake, StringFlag{&CommandLine::sf_url}, "URL", "",
       "SQL API base URL (snowflake.url) instead of https://<account>.snowflakecomputing.com; "
       "http:// only for loopback (the local emulator)."},
      {"sf-private-key-file", G::kSnowflake, StringFlag{&CommandLine::sf_private_key_file}, "PATH",
       "",
       "PEM PKCS#8 private key for SNOWFLAKE_JWT (snowflake.private_key_file); its passphrase "
       "from SNOWFLAKE_PRIVATE_KEY_PASSPHRASE or a prompt."},
      {"sf-prefetch", G::kSnowflake, IntFlag{&CommandLine::sf_prefetch}, "N", n(sf.prefetch),
       "Result partitions downloaded ahead of the one being loaded (snowflake.prefetch)."},
      {"pg-dsn", G::kCore, StringFlag{&CommandLine::pg_dsn}, "DSN", "PG* environment",
       "-source postgres: libpq connection string (host=... dbname=... user=... or "
       "postgres://user@host/db; postgres.dsn); each vault's rows come from its query in "
       "skyflow.vaults (SQL returning value, token).",
       true},
      {"start-record", G::kSnowflake, IntFlag{&CommandLine::start_record}, "N", "0",
       "First record to read, 0-based (Snowflake OFFSET), to split a load into chunks."},
      {"end-record", G::kSnowflake, IntFlag{&CommandLine::end_record}, "N", "0",
       "Stop before this record (Snowflake LIMIT end-start); 0 = no end."},

      {"batch-size", G::kPerformance, IntFlag{&CommandLine::batch_size}, "N", n(perf.batch_size),
       "Records per API request (1 to 10000)."},
      {"concurrency", G::kPerformance, IntFlag{&CommandLine::concurrency}, "N",
       n(perf.max_concurrency),
       "Most requests in flight per vault (performance.max_concurrency); the ceiling of the "
       "adaptive limit."},
      {"concurrency-mode", G::kPerformance, StringFlag{&CommandLine::concurrency_mode}, "MODE",
       perf.concurrency_mode,
       "adaptive: start at 1, +1 per round trip while the vault keeps up, x0.9 on 429/503/"
       "timeouts; fixed: always -concurrency in flight, like the Go loader."},
      {"api", G::kPerformance, StringFlag{&CommandLine::api}, "API", perf.api,
       "table: per-table insert (a refused batch is split to isolate bad records); batch: the "
       "batch endpoint with continueOnError, an answer per record."},
      {"max-records", G::kPerformance, IntFlag{&CommandLine::max_records}, "N",
       "100000 for csv, 100 for snowflake, 0 for postgres and error-log",
       "Records read per vault; 0 = unlimited (performance.max_records)."},
      {"append-suffix", G::kPerformance, BoolFlag{&CommandLine::append_suffix}, "", "",
       "Append a unique suffix to every value and token (repeatable test loads only)."},
      {"base-delay-ms", G::kPerformance, IntFlag{&CommandLine::base_delay_ms}, "MS",
       n(perf.base_delay_ms), "Pause before each request, in milliseconds."},
      {"upsert", G::kPerformance, BoolFlag{&CommandLine::upsert}, "", "",
       "Update records whose value already exists instead of failing (use when re-running)."},

      {"max-attempts", G::kReliability, IntFlag{&CommandLine::max_attempts}, "N",
       n(perf.max_attempts),
       "Attempts per batch after server errors or lost answers, the first included (429/503 do "
       "not count: see -max-retry-time)."},
      {"max-retry-time", G::kReliability, StringFlag{&CommandLine::max_retry_time}, "DURATION",
       perf.max_retry_time,
       "How long a batch keeps being resent without progress, throttling included (30m, 1h)."},
      {"request-timeout-ms", G::kReliability, IntFlag{&CommandLine::request_timeout_ms}, "MS",
       n(perf.request_timeout_ms), "Time limit for one API request."},
      {"retry-base-delay-ms", G::kReliability, IntFlag{&CommandLine::retry_base_delay_ms}, "MS",
       n(perf.retry_base_delay_ms),
       "Backoff before the first retry (doubles per retry, with jitter; Retry-After wins)."},
      {"retry-max-delay-ms", G::kReliability, IntFlag{&CommandLine::retry_max_delay_ms}, "MS",
       n(perf.retry_max_delay_ms), "Longest backoff between two attempts."},
      {"ca-file", G::kReliability, StringFlag{&CommandLine::ca_file}, "PATH", "",
       "Extra CA certificates (PEM) to trust for the vault and Snowflake."},
      {"insecure", G::kReliability, BoolFlag{&CommandLine::insecure}, "", "",
       "Do not verify TLS certificates. Only for test servers: never with real data."},

      {"run-dir", G::kOutput, StringFlag{&CommandLine::run_dir}, "DIR",
       "skyflow-run_<time> in the working directory",
       "Directory holding the run's state: checkpoints, error logs "
       "(error_log_<VAULT>_<time>.jsonl, "
       "mode 0600), summary."},
      {"resume", G::kOutput, BoolFlag{&CommandLine::resume}, "", "",
       "Go on with the run in -run-dir (default: the latest in the working directory) where it "
       "stopped, with the flags it was started with."},
      {"drain-timeout", G::kReliability, StringFlag{&CommandLine::drain_timeout}, "DURATION", "30s",
       "On Ctrl-C or SIGTERM, how long requests in flight may finish before they are cancelled."},
      {"summary-json", G::kOutput, StringFlag{&CommandLine::summary_json}, "PATH", "",
       "Write a machine-readable summary of the run to PATH."},
      {"error-log-format", G::kOutput, StringFlag{&CommandLine::error_log_format}, "FORMAT",
       defaults.run.error_log_format,
       "jsonl: the rejects file only; go: also, at the end of each vault, the Go loader's "
       "error_log_<VAULT>_<time>.json of the records the vault did not store (mode 0600)."},
      {"metrics-addr", G::kOutput, StringFlag{&CommandLine::metrics_addr}, "HOST:PORT",
       "none, no listener",
       "While a load runs, serve Prometheus metrics at http://HOST:PORT/metrics "
       "(metrics.address; port 0: any free port, written to metrics_addr in the run directory)."},
      {"log-format", G::kOutput, StringFlag{&CommandLine::log_format}, "FORMAT", "text",
       "text: log lines as plain text (error: ..., warning: ...); json: one JSON object per line "
       "(time, level, msg, and vault, batch, status, request_id, attempts where known)."},
      {"verbose", G::kOutput, BoolFlag{&CommandLine::verbose}, "", "",
       "Also log debug lines: each retry with its status and delay, each change of the adaptive "
       "concurrency limit, checkpoint writes, connection details.",
       false, "v"},
      {"quiet", G::kOutput, BoolFlag{&CommandLine::quiet}, "", "",
       "Print only warnings, errors and the final RESULT line: no progress lines, no summary "
       "sections.",
       false, "q"},

      {"generate", G::kUtility, IntFlag{&CommandLine::generate}, "N", "",
       "Write N mock records per vault as CSV files into -data-dir (or, with -target, as "
       "tables in PostgreSQL) and exit."},
      {"target", G::kUtility, StringFlag{&CommandLine::target}, "URL", "",
       "With -generate: write the Snowflake-shaped tables patients, clm and mbr into this "
       "PostgreSQL database (postgres://user@host:port/db) instead of CSV files.",
       true},
      {"target-schema", G::kUtility, StringFlag{&CommandLine::target_schema}, "NAME",
       defaults.run.generate_target_schema, "Schema of the -target tables."},
      {"clear", G::kUtility, BoolFlag{&CommandLine::clear}, "", "",
       "Delete every record of the selected vaults and exit (test vaults only; asks for "
       "confirmation, -yes for scripts)."},
      {"clear-all", G::kUtility, BoolFlag{&CommandLine::clear_all}, "", "",
       "With -clear: delete with one request (skyflow_ids [\"*\"]) instead of page by page."},
      {"offline", G::kUtility, BoolFlag{&CommandLine::offline}, "", "",
       "Detach from the terminal: log to a file, write a PID file (removed at exit), survive SSH "
       "disconnects."},
      {"yes", G::kUtility, BoolFlag{&CommandLine::yes}, "", "",
       "Answer yes to confirmation prompts (for scripts)."},
      {"dry-run", G::kUtility, BoolFlag{&CommandLine::dry_run}, "", "",
       "Read and check every source as a load would, send nothing; print record counts and the "
       "digest the vault should hold afterwards."},
      {"seed", G::kUtility, UintFlag{&CommandLine::seed}, "N", std::to_string(defaults.run.seed),
       "Seed for -generate, for retry jitter and for the records -sample draws, to make runs "
       "repeatable."},

      {"verify", G::kVerify, BoolFlag{&CommandLine::verify}, "", "",
       "Check that the vaults hold the source's pairs: read each selected vault's source as a "
       "load would (same flags), detokenize the tokens and compare the values; send nothing "
       "else. Also written as a leading word: skyflow-loader verify -vault NAME."},
      {"sample", G::kVerify, IntFlag{&CommandLine::sample}, "N", "0, every record",
       "Verify a uniform random sample of N records per vault, drawn with -seed (reproducible)."},
      {"verify-report", G::kVerify, StringFlag{&CommandLine::verify_report}, "PATH",
       "verify_<YYYYMMDD_HHMMSS>.jsonl",
       "JSON Lines file listing every missing or differing record, values included (mode "
       "0600); the terminal shows only counts."},
  };
}

// The word that, first on the command line, selects the verify command.
constexpr std::string_view kVerifyCommand = "verify";
// The word that selects the status command, which takes only -run-dir.
constexpr std::string_view kStatusCommand = "status";

bool IsHelpName(std::string_view name) {
  return name == "h" || name == "help";
}

// Splits "-name=value" / "--name" into its parts; nullopt if `arg` is not a
// flag at all. A flag is "-x..." or "--x...", where "-" and "--" alone are not.
struct FlagToken {
  std::string_view name;
  std::optional<std::string_view> value;
};

std::optional<FlagToken> SplitFlag(std::string_view arg) {
  if (arg.size() < 2 || arg[0] != '-') return std::nullopt;
  std::string_view body = arg.substr(arg[1] == '-' ? 2 : 1);
  FlagToken token;
  const size_t equals = body.find('=');
  token.name = body.substr(0, equals);
  if (equals != std::string_view::npos) token.value = body.substr(equals + 1);
  return token;
}

// True when `arg` would be read as one of our flags, so that it is not
// swallowed as the value of the flag before it.
bool IsDefinedFlag(std::string_view arg) {
  if (arg == "--") return true;
  const std::optional<FlagToken> token = SplitFlag(arg);
  return token.has_value() && (FindFlag(token->name) != nullptr || IsHelpName(token->name));
}

std::optional<bool> ParseBool(std::string_view text) {
  if (text == "1" || text == "t" || text == "T" || text == "true" || text == "TRUE" ||
      text == "True") {
    return true;
  }
  if (text == "0" || text == "f" || text == "F" || text == "false" || text == "FALSE" ||
      text == "False") {
    return false;
  }
  return std::nullopt;
}

Status InvalidValue(const FlagSpec& flag, std::string_view value, std::string_view requirement) {
  return Status::InvalidArgument("invalid value \"" + std::string(value) + "\" for flag -" +
                                 flag.name + ": " + std::string(requirement));
}

template <typename Integer>
Status ParseInteger(const FlagSpec& flag, std::string_view text, std::optional<Integer>* out) {
  std::string_view digits = text;
  // from_chars takes no '+', Go's ParseInt does ("+5" but not "+-5").
  if (digits.size() > 1 && digits[0] == '+' && digits[1] >= '0' && digits[1] <= '9') {
    digits.remove_prefix(1);
  }
  Integer value{};
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || end != digits.data() + digits.size() ||
      (error != std::errc() && error != std::errc::result_out_of_range)) {
    return InvalidValue(
        flag, text,
        std::is_signed_v<Integer> ? "must be an integer" : "must be a non-negative integer");
  }
  if (error == std::errc::result_out_of_range) return InvalidValue(flag, text, "out of range");
  *out = value;
  return Status::Ok();
}

Status StoreValue(const FlagSpec& flag, std::string_view value, CommandLine* command_line) {
  if (const auto* target = std::get_if<StringFlag>(&flag.target)) {
    (command_line->**target).emplace(value);
    return Status::Ok();
  }
  if (const auto* target = std::get_if<IntFlag>(&flag.target)) {
    return ParseInteger(flag, value, &(command_line->**target));
  }
  if (const auto* target = std::get_if<UintFlag>(&flag.target)) {
    return ParseInteger(flag, value, &(command_line->**target));
  }
  const std::optional<bool> parsed = ParseBool(value);
  if (!parsed.has_value()) {
    return Status::InvalidArgument("invalid boolean value \"" + std::string(value) + "\" for -" +
                                   flag.name + ": use true or false, as in -" + flag.name +
                                   "=false");
  }
  command_line->*std::get<BoolFlag>(flag.target) = *parsed;
  return Status::Ok();
}

std::string UnknownFlagMessage(std::string_view name) {
  std::string message = "flag provided but not defined: -" + std::string(name);
  std::vector<std::string_view> names;
  for (const FlagSpec& flag : FlagRegistry())
    names.push_back(flag.name);
  names.emplace_back("help");
  if (std::optional<std::string> suggestion = ClosestMatch(name, names)) {
    message += " (did you mean -" + *suggestion + "?)";
  }
  return message;
}

// What the parser knows about the argument before the one being looked at,
// to explain a stray argument.
struct PreviousArgument {
  const FlagSpec* flag = nullptr;
  bool inline_value = false;  // "-flag=value"
};

Status PositionalArgument(std::string_view arg, const PreviousArgument& previous,
                          bool after_terminator) {
  if (previous.flag != nullptr && previous.flag->secret) {
    return Status::InvalidArgument(
        "unexpected argument after the value of -" + previous.flag->name +
        " (not shown: it may be part of the secret); quote a value that contains spaces");
  }
  const std::string quoted = "\"" + std::string(arg) + "\"";
  if (previous.flag != nullptr && previous.flag->IsBool() && !previous.inline_value &&
      ParseBool(arg).has_value()) {
    return Status::InvalidArgument("unexpected argument " + quoted + " after -" +
                                   previous.flag->name +
                                   ": a boolean flag takes its value after '=', as in -" +
                                   previous.flag->name + "=" + std::string(arg));
  }
  if (arg == kVerifyCommand && !after_terminator) {
    return Status::InvalidArgument(
        "unexpected argument \"verify\": the command word comes first, as in skyflow-loader "
        "verify -vault NAME (or pass -verify)");
  }
  std::string message = "unexpected argument " + quoted;
  if (after_terminator) message += " after \"--\"";
  message += ": the loader takes only flags";
  if (!after_terminator && FindFlag(arg) != nullptr) {
    message += " (did you mean -" + std::string(arg) + "?)";
  } else {
    message += " (see -help)";
  }
  return Status::InvalidArgument(message);
}

// Left column of one help line: "  -batch-size N", "  -v, -verbose".
std::string HelpLabel(const FlagSpec& flag) {
  std::string label = "  -";
  if (!flag.alias.empty()) label += flag.alias + ", -";
  label += flag.name;
  if (!flag.value_name.empty()) label += " " + flag.value_name;
  return label;
}

// Appends `text` word-wrapped to `width` columns, every line but the first
// starting at column `indent`; the first continues from `column`.
void AppendWrapped(std::string* out, std::string_view text, size_t column, size_t indent,
                   size_t width) {
  size_t position = 0;
  bool first_word = true;
  while (position < text.size()) {
    size_t end = text.find(' ', position);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(position, end - position);
    if (!first_word && column + 1 + word.size() > width) {
      *out += "\n" + std::string(indent, ' ');
      column = indent;
    } else if (!first_word) {
      *out += ' ';
      ++column;
    }
    *out += word;
    column += word.size();
    first_word = false;
    position = end + 1;
  }
  *out += '\n';
}

const char* GroupTitle(FlagGroup group) {
  switch (group) {
    case FlagGroup::kCore:
      return "Core";
    case FlagGroup::kCsv:
      return "CSV source";
    case FlagGroup::kSnowflake:
      return "Snowflake source";
    case FlagGroup::kPerformance:
      return "Performance";
    case FlagGroup::kReliability:
      return "Reliability";
    case FlagGroup::kOutput:
      return "Output";
    case FlagGroup::kUtility:
      return "Utility";
    case FlagGroup::kVerify:
      return "Verify (skyflow-loader verify [flags])";
  }
  return "Other";
}

constexpr FlagGroup kHelpGroups[] = {
    FlagGroup::kCore,        FlagGroup::kCsv,    FlagGroup::kSnowflake, FlagGroup::kPerformance,
    FlagGroup::kReliability, FlagGroup::kOutput, FlagGroup::kUtility,   FlagGroup::kVerify};

// `text` for a Markdown table cell: no HTML tags (<VAULT>), no table
// separators, no emphasis.
std::string MarkdownCell(std::string_view text) {
  std::string cell;
  for (const char c : text) {
    switch (c) {
      case '<':
        cell += "&lt;";
        break;
      case '>':
        cell += "&gt;";
        break;
      case '|':
      case '*':
      case '\\':
      case '`':
        cell += '\\';
        cell += c;
        break;
      default:
        cell += c;
    }
  }
  return cell;
}

}  // namespace

const std::vector<FlagSpec>& FlagRegistry() {
  static const std::vector<FlagSpec> registry = BuildRegistry();
  return registry;
}

const FlagSpec* FindFlag(std::string_view name) {
  for (const FlagSpec& flag : FlagRegistry()) {
    if (flag.name == name || (!flag.alias.empty() && flag.alias == name)) return &flag;
  }
  return nullptr;
}

Result<CommandLine> ParseCommandLine(std::span<const std::string> args) {
  CommandLine command_line;
  PreviousArgument previous;
  size_t first = 0;
  if (!args.empty() && args[0] == kVerifyCommand) {
    command_line.verify = true;
    first = 1;
  } else if (!args.empty() && args[0] == kStatusCommand) {
    command_line.status = true;
    first = 1;
  }
  for (size_t i = first; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--") {
      if (i + 1 < args.size()) return PositionalArgument(args[i + 1], {}, true);
      break;
    }
    const std::optional<FlagToken> token = SplitFlag(arg);
    if (!token.has_value()) return PositionalArgument(arg, previous, false);
    if (token->name.empty() || token->name.front() == '-') {
      // Only the part before '=' is shown: what follows could be a secret.
      return Status::InvalidArgument("bad flag syntax: " +
                                     std::string(arg.substr(0, arg.find('='))));
    }
    const FlagSpec* flag = FindFlag(token->name);
    if (flag == nullptr) {
      if (IsHelpName(token->name)) {
        command_line.help_requested = true;
        if (token->value.has_value()) {
          if (*token->value != "markdown") {
            return Status::InvalidArgument("invalid value \"" + std::string(*token->value) +
                                           "\" for flag -help: the only one is markdown");
          }
          command_line.help_markdown = true;
        }
        return command_line;
      }
      return Status::InvalidArgument(UnknownFlagMessage(token->name));
    }
    if (command_line.status && flag->name != "run-dir") {
      return Status::InvalidArgument("status takes only -run-dir (not -" + flag->name +
                                     "): skyflow-loader status [-run-dir DIR]");
    }
    previous = PreviousArgument{flag, token->value.has_value()};
    if (flag->IsBool()) {
      SKYFLOW_RETURN_IF_ERROR(StoreValue(*flag, token->value.value_or("true"), &command_line));
      continue;
    }
    std::string_view value;
    if (token->value.has_value()) {
      value = *token->value;
    } else if (i + 1 < args.size() && !IsDefinedFlag(args[i + 1])) {
      value = args[++i];
    } else {
      std::string message = "flag needs an argument: -" + flag->name;
      if (i + 1 < args.size()) {
        const std::string_view next = args[i + 1];
        message +=
            " (the next argument, " + std::string(next.substr(0, next.find('='))) + ", is a flag)";
      }
      return Status::InvalidArgument(message);
    }
    SKYFLOW_RETURN_IF_ERROR(StoreValue(*flag, value, &command_line));
  }
  // "verify ... -verify=false" would quietly run a load instead.
  if (first == 1 && command_line.verify == false) {
    return Status::InvalidArgument(
        "the command word verify and -verify=false contradict each other: leave one out");
  }
  return command_line;
}

Result<CommandLine> ParseCommandLine(int argc, const char* const* argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i)
    args.emplace_back(argv[i]);
  return ParseCommandLine(std::span<const std::string>(args));
}

std::vector<std::string> ArgumentsWithout(std::span<const std::string> args,
                                          const std::vector<std::string_view>& drop) {
  std::vector<std::string> kept;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      kept.insert(kept.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
      break;
    }
    std::string_view name = arg;
    while (name.starts_with('-'))
      name.remove_prefix(1);
    const size_t equals = name.find('=');
    const bool inline_value = equals != std::string_view::npos;
    if (inline_value) name = name.substr(0, equals);
    const FlagSpec* flag = arg.starts_with('-') ? FindFlag(name) : nullptr;
    const bool dropped = flag != nullptr && (flag->secret || std::find(drop.begin(), drop.end(),
                                                                       flag->name) != drop.end());
    const bool takes_next = flag != nullptr && !flag->IsBool() && !inline_value;
    if (!dropped) {
      kept.push_back(arg);
      if (takes_next && i + 1 < args.size()) kept.push_back(args[i + 1]);
    }
    if (takes_next) ++i;
  }
  return kept;
}

std::string HelpText(std::string_view program) {
  constexpr size_t kLabelWidth = 30;
  constexpr size_t kWidth = 100;
  std::string out;
  out += "Usage: " + std::string(program) + " [flags]\n";
  out += "       " + std::string(program) + " verify [flags]\n";
  out += "       " + std::string(program) + " status [-run-dir DIR]\n\n";
  AppendWrapped(&out,
                "Loads (value, token) pairs from CSV files, Snowflake, PostgreSQL or an error log "
                "into Skyflow "
                "vaults with bring-your-own-token inserts. Flags are written -flag value, "
                "-flag=value, --flag value or --flag=value; a boolean flag takes no value "
                "(-upsert) or one after '=' (-upsert=false).",
                0, 0, kWidth);
  for (const FlagGroup group : kHelpGroups) {
    out += "\n" + std::string(GroupTitle(group)) + ":\n";
    for (const FlagSpec& flag : FlagRegistry()) {
      if (flag.group != group) continue;
      std::string label = HelpLabel(flag);
      if (label.size() + 2 > kLabelWidth) {
        out += label + "\n" + std::string(kLabelWidth, ' ');
      } else {
        out += label + std::string(kLabelWidth - label.size(), ' ');
      }
      std::string help = flag.help;
      if (!flag.default_text.empty()) help += " (default: " + flag.default_text + ")";
      AppendWrapped(&out, help, kLabelWidth, kLabelWidth, kWidth);
    }
    if (group == FlagGroup::kUtility) {
      const std::string label = "  -h, -help";
      out += label + std::string(kLabelWidth - label.size(), ' ') +
             "Show this help and exit (-help=markdown: as Markdown tables).\n";
    }
  }
  out += "\nSTATUS (" + std::string(program) + " status [-run-dir DIR])\n  ";
  AppendWrapped(&out,
                "The state of a load, running or finished, from its run directory (default: the "
                "latest in the working directory): whether a loader works in it now (its process "
                "id), each vault's source and last checkpoint (rows settled by outcome, its age), "
                "whether the last run finished (summary.json: complete or not, what stopped it), "
                "the runs of the load, and, while a loader started with -metrics-addr runs, its "
                "live counters. Exit 0; 2 when DIR is not a run directory; 3 when a file of the "
                "run cannot be read.",
                2, 2, kWidth);
  out +=
      "\nEXIT CODES\n"
      "  0    Every record read was loaded (or -generate / -help succeeded; verify: every\n"
      "       record checked is in the vault with its value).\n"
      "  1    The run finished, but some records were rejected, conflicted or failed: see the\n"
      "       vault's error log in the run directory; or a confirmation was answered no.\n"
      "       verify: some records are missing from the vault or differ: see the list file.\n"
      "  2    Usage or configuration error: nothing was loaded.\n"
      "  3    The run was aborted by a fatal error (authentication rejected, unreadable source,\n"
      "       vault not found, server certificate not trusted); verify: a vault could not be\n"
      "       read.\n"
      "  130  Interrupted (SIGINT, Ctrl-C): requests in flight finish, checkpoints are written,\n"
      "       the command that resumes is printed.\n"
      "  143  Terminated (SIGTERM): as for 130.\n"
      "\nENVIRONMENT\n"
      "  SKYFLOW_BEARER_TOKEN  Bearer token, used when -token is not given (keeps it out of "
      "ps\n"
      "                        and shell history).\n"
      "  SKYFLOW_VAULT_URL     Vault URL, used when -vault-url is not given.\n"
      "  SNOWFLAKE_PAT         Snowflake programmatic access token, used when -sf-password is\n"
      "                        not given (SNOWFLAKE_PASSWORD is read too; SNOWFLAKE_PAT wins).\n"
      "  SNOWFLAKE_PRIVATE_KEY_PASSPHRASE\n"
      "                        Passphrase of an encrypted -sf-private-key-file.\n"
      "  PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD ...\n"
      "                        -source postgres and -target: libpq's settings, used for what\n"
      "                        -pg-dsn (or the -target URL) leaves out; also ~/.pgpass.\n"
      "\n"
      "  Precedence for every setting: flag > environment variable > config file > built-in "
      "default.\n";
  return out;
}

std::string HelpMarkdown() {
  std::string out;
  for (const FlagGroup group : kHelpGroups) {
    if (!out.empty()) out += "\n";
    out += "**" + std::string(GroupTitle(group)) + "**\n\n";
    out += "| flag | default | description |\n|---|---|---|\n";
    for (const FlagSpec& flag : FlagRegistry()) {
      if (flag.group != group) continue;
      std::string label = "`-" + flag.name;
      if (!flag.value_name.empty()) label += " " + flag.value_name;
      label += "`";
      if (!flag.alias.empty()) label = "`-" + flag.alias + "`, " + label;
      out += "| " + label + " | " + MarkdownCell(flag.default_text) + " | " +
             MarkdownCell(flag.help) + " |\n";
    }
    if (group == FlagGroup::kUtility) {
      out += "| `-h`, `-help` |  | Show the help and exit; -help=markdown prints these tables. |\n";
    }
  }
  return out;
}

}  // namespace skyflow
