#include "emulator/sqlapi/sqlapi_options.h"

#include <string_view>

#include "emulator/common/flag_values.h"

namespace skyflow::emulator::sqlapi {
namespace {

constexpr uint64_t kMaxPartitionRows = 10000000;

bool IsSqlApiFlag(std::string_view flag) {
  static constexpr std::string_view kFlags[] = {"--host",
                                                "--port",
                                                "--port-file",
                                                "--pg-dsn",
                                                "--account",
                                                "--user",
                                                "--public-key-file",
                                                "--pat",
                                                "--partition-rows",
                                                "--max-partition-rows",
                                                "--async-delay-ms",
                                                "--threads",
                                                "--executors",
                                                "--seed",
                                                "--fault-429-submit",
                                                "--fault-503-submit",
                                                "--fault-503-partition",
                                                "--fault-drop-partition",
                                                "--partition-delay-ms"};
  for (const std::string_view known : kFlags) {
    if (flag == known) return true;
  }
  return false;
}

Status ParseCount(std::string_view flag, std::string_view value, uint64_t min, uint64_t max,
                  uint64_t* out) {
  Result<uint64_t> parsed = ParseUnsigned(flag, value, max);
  if (!parsed.ok()) return parsed.status();
  if (*parsed < min) return FlagError(flag, "must be at least " + std::to_string(min));
  *out = *parsed;
  return Status::Ok();
}

Status ParseRate(std::string_view flag, std::string_view value, double* out) {
  Result<double> rate = ParseProbability(flag, value);
  if (!rate.ok()) return rate.status();
  *out = *rate;
  return Status::Ok();
}

Status Apply(std::string_view flag, const std::string& value, SqlApiOptions* options) {
  uint64_t number = 0;
  if (flag == "--host") {
    if (value.empty()) return FlagError(flag, "expected a numeric address");
    options->host = value;
  } else if (flag == "--port") {
    SKYFLOW_RETURN_IF_ERROR(ParseCount(flag, value, 0, 65535, &number));
    options->port = static_cast<uint16_t>(number);
  } else if (flag == "--port-file") {
    if (value.empty()) return FlagError(flag, "expected a file name");
    options->port_file = value;
  } else if (flag == "--pg-dsn") {
    if (value.empty()) return FlagError(flag, "expected a libpq connection string");
    options->pg_dsn = value;
  } else if (flag == "--account" || flag == "--user") {
    if (value.empty() || value.find_first_of(" \t") != std::string::npos) {
      return FlagError(flag, "expected a name without spaces");
    }
    (flag == "--account" ? options->account : options->user) = value;
  } else if (flag == "--public-key-file") {
    if (value.empty()) return FlagError(flag, "expected a file name");
    options->public_key_files.push_back(value);
  } else if (flag == "--pat") {
    if (value.empty()) return FlagError(flag, "the token is empty");
    options->pats.push_back(value);
  } else if (flag == "--partition-rows") {
    SKYFLOW_RETURN_IF_ERROR(ParseCount(flag, value, 1, kMaxPartitionRows, &number));
    options->partitions.first_rows = number;
  } else if (flag == "--max-partition-rows") {
    SKYFLOW_RETURN_IF_ERROR(ParseCount(flag, value, 1, kMaxPartitionRows, &number));
    options->partitions.max_rows = number;
  } else if (flag == "--async-delay-ms") {
    SKYFLOW_RETURN_IF_ERROR(ParseCount(flag, value, 0, 3600000, &options->async_delay_ms));
  } else if (flag == "--partition-delay-ms") {
    SKYFLOW_RETURN_IF_ERROR(ParseCount(flag, value, 0, 600000, &number));
    options->faults.partition_delay = std::chrono::milliseconds(number);
  } else if (flag == "--threads" || flag == "--executors") {
    SKYFLOW_RETURN_IF_ERROR(ParseCount(flag, value, 1, 256, &number));
    (flag == "--threads" ? options->threads : options->executors) = static_cast<int>(number);
  } else if (flag == "--seed") {
    SKYFLOW_RETURN_IF_ERROR(ParseCount(flag, value, 0, UINT64_MAX, &options->seed));
    options->seed_given = true;
  } else if (flag == "--fault-429-submit") {
    return ParseRate(flag, value, &options->faults.submit_429);
  } else if (flag == "--fault-503-submit") {
    return ParseRate(flag, value, &options->faults.submit_503);
  } else if (flag == "--fault-503-partition") {
    return ParseRate(flag, value, &options->faults.partition_503);
  } else if (flag == "--fault-drop-partition") {
    return ParseRate(flag, value, &options->faults.partition_drop);
  } else {
    return FlagError(flag, "unknown flag");
  }
  return Status::Ok();
}

}  // namespace

std::string SqlApiUsageText() {
  return R"(Usage: skyflow-sqlapi-emulator --pg-dsn DSN [flags]

A local stand-in for Snowflake's SQL API (/api/v2/statements) for tests: it
authenticates requests as Snowflake does (programmatic access tokens,
key-pair JWTs), runs each statement on PostgreSQL, and answers with
Snowflake's JSON shapes, result partitions and error codes.

Endpoints:
  POST /api/v2/statements?requestId=R&async=true|false   submit a statement
  GET  /api/v2/statements/{handle}                       status, result set
  GET  /api/v2/statements/{handle}?partition=N           partition N (gzip
                                                         when accepted)
  POST /api/v2/statements/{handle}/cancel                cancel
  GET  /emulator/v1/stats                                counters (no auth)

Flags:
  --pg-dsn DSN                 libpq connection string of the PostgreSQL
                               database statements run in (required)
  --host ADDRESS               address to listen on (default 127.0.0.1)
  --port N                     port (default 0: a free port)
  --port-file FILE             write the chosen port and a newline to FILE
  --account NAME               account identifier JWTs must name
                               (MYORG-MYACCOUNT)
  --user NAME                  user JWTs must name
  --public-key-file FILE       the user's registered RSA public key (PEM);
                               repeat for a second key (key rotation)
  --pat TOKEN                  an accepted programmatic access token; repeatable
  --partition-rows N           rows in partition 0 (default 1000); each next
                               partition holds twice as many as the one before
  --max-partition-rows N       largest partition (default 100000)
  --async-delay-ms N           report each statement running for at least N ms
                               (202 until then; default 0)
  --threads N                  HTTP worker threads (default 4)
  --executors N                statements run at once, one PostgreSQL
                               connection each (default 4)
  --seed N                     seed of fault draws and statement handles
Faults (probabilities from 0 to 1; default 0):
  --fault-429-submit R         429 (Retry-After: 1) before a statement is accepted
  --fault-503-submit R         503 after a statement was accepted (a retry with
                               the same requestId must not run it twice)
  --fault-503-partition R      503 instead of a partition
  --fault-drop-partition R     close the connection without answering a
                               partition request
  --partition-delay-ms N       answer every partition N ms late
  --help                       show this help

Prints "skyflow-sqlapi-emulator listening on 127.0.0.1:PORT" to stderr once
listening; stops cleanly (exit 0) on SIGINT or SIGTERM. Exit status 1 when it
cannot listen, write the port file or reach PostgreSQL; 2 for invalid flags
or key files.
)";
}

Result<SqlApiOptions> ParseSqlApiOptions(const std::vector<std::string>& args) {
  SqlApiOptions options;
  SKYFLOW_RETURN_IF_ERROR(ForEachFlag(args, IsSqlApiFlag, &options.show_help,
                                      [&options](std::string_view flag, const std::string& value) {
                                        return Apply(flag, value, &options);
                                      }));
  if (options.show_help) return options;
  if (options.pg_dsn.empty()) {
    return FlagError("--pg-dsn",
                     "is required (where statements run), for example "
                     "\"host=127.0.0.1 port=5432 dbname=d01_skyflow_poc user=postgres\"");
  }
  if (options.partitions.max_rows < options.partitions.first_rows) {
    return FlagError("--max-partition-rows", "must be at least --partition-rows");
  }
  if (!options.public_key_files.empty() && (options.account.empty() || options.user.empty())) {
    return FlagError("--public-key-file",
                     "needs --account and --user (the JWT's iss and sub name them)");
  }
  if (options.pats.empty() && options.public_key_files.empty()) {
    return Status::InvalidArgument(
        "give --pat TOKEN or --public-key-file FILE (with --account and --user): without "
        "credentials no request could be authenticated");
  }
  return options;
}

}  // namespace skyflow::emulator::sqlapi
