#include "emulator/emulator_options.h"

#include <fstream>
#include <string_view>

#include "emulator/common/flag_values.h"
#include "emulator/faults/fault_flags.h"
#include "emulator/faults/fault_plan_json.h"
#include "util/small_file.h"

namespace skyflow::emulator {
namespace {

// Upper bound for --max-body-bytes: stored strings keep 32-bit sizes.
constexpr uint64_t kMaxBodyLimit = 1ULL << 31;

Status ParseListen(std::string_view text, EmulatorOptions* options) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return FlagError("--listen", "expected HOST:PORT, for example 127.0.0.1:8080");
  }
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);  // [::1]:8080
  }
  Result<uint64_t> port = ParseUnsigned("--listen", text.substr(colon + 1), 65535);
  if (!port.ok()) return port.status();
  options->listen_host = std::string(host);
  options->listen_port = static_cast<uint16_t>(*port);
  return Status::Ok();
}

bool IsKnownFlag(std::string_view flag) {
  static constexpr std::string_view kFlags[] = {"--listen",
                                                "--port-file",
                                                "--bearer-token",
                                                "--bearer-token-file",
                                                "--threads",
                                                "--seed",
                                                "--conflict-status",
                                                "--max-body-bytes",
                                                "--body-limit-status",
                                                "--max-records-per-request",
                                                "--faults",
                                                "--sa-public-key",
                                                "--sa-token-uri",
                                                "--access-token-lifetime",
                                                "--schema",
                                                "--token-format",
                                                "--max-read-limit",
                                                "--empty-read-status",
                                                "--data-file",
                                                "--tls-cert",
                                                "--tls-key",
                                                "--idle-timeout",
                                                "--header-timeout"};
  for (const std::string_view known : kFlags) {
    if (flag == known) return true;
  }
  return IsFaultFlag(flag);
}

}  // namespace

std::string UsageText() {
  return R"(Usage: skyflow-vault-emulator [flags]

A local stand-in for a Skyflow vault: speaks the vault REST API over HTTP
(or HTTPS), keeps what it stores in memory (or in --data-file), and injects
faults on demand.

Vault API (bearer token; faults apply):
  POST   /v1/vaults/{vaultID}/{table}  insert (records, tokenization, byot,
                                       upsert, homogeneous)
  POST   /v1/vaults/{vaultID}          batch insert across tables
                                       (continueOnError: per-record answers)
  GET    /v1/vaults/{vaultID}/{table}  read records (offset, limit,
                                       skyflow_ids, column_name +
                                       column_values, fields, redaction,
                                       tokenization, order_by)
  DELETE /v1/vaults/{vaultID}/{table}[/{skyflow_id}]  delete records
  POST   /v1/vaults/{vaultID}/detokenize  values of tokens
  POST   /v1/auth/sa/oauth/token       exchange a service-account assertion
                                       for an access token (--sa-public-key;
                                       needs no bearer token, never faulted)
Admin (no token, never faulted):
  GET    /emulator/v1/stats            records and digest per table, request
                                       and fault counts
  GET    /emulator/v1/export?vault=V&table=T&format=csv|jsonl  stored pairs
  POST   /emulator/v1/reset            drop every table and counter
  GET|PUT|DELETE /emulator/v1/faults   read, replace or clear the fault plan

Flags:
  --listen HOST:PORT          address to listen on (default 127.0.0.1:0; port 0
                              picks a free port)
  --port-file FILE            write the chosen port and a newline to FILE once
                              listening (atomically: FILE.tmp, then rename)
  --bearer-token TOKEN        accept this bearer token (repeatable); with no
                              token configured every request is accepted
  --bearer-token-file FILE    accept the tokens in FILE, one per line (keeps
                              them out of the process list)
  --threads N                 worker threads (default: hardware concurrency)
  --seed N                    seed for fault decisions and generated ids
                              (default: random)
  --conflict-status 409|400   status of a uniqueness violation (default 409)
  --max-body-bytes N          largest request body (default 67108864); larger
                              ones get --body-limit-status
  --body-limit-status 400|413 status of a body over --max-body-bytes
                              (default 400, as for other request limits; 413
                              is what a gateway in front would answer)
  --max-records-per-request N most records in one insert (default 0: no
                              limit); more get 400
  --sa-public-key KEY_ID=CLIENT_ID=PEM
                              accept service-account assertions signed with
                              the key whose public half is in file PEM, for
                              the keyID and clientID of its credentials.json
                              (repeatable); POST /v1/auth/sa/oauth/token then
                              issues access tokens, accepted as bearer tokens
                              until they expire
  --sa-token-uri URI          the "aud" assertions must carry (the tokenURI
                              of credentials.json; default: any)
  --access-token-lifetime SECONDS
                              lifetime of issued access tokens (default 3600)
  --schema FILE               JSON declaring vaults, tables and columns (which
                              unique); then unknown ones get 404/400 and unique
                              columns refuse repeated values (docs/emulator.md)
  --data-file FILE            keep the store in FILE (append-only, fsync'd
                              before each answer) and reload it at startup,
                              so a restart loses nothing acknowledged
  --token-format F            generated tokens: uuid (default), numeric16 (16
                              digits) or prefix:STR (STR + 32 hex digits)
  --max-read-limit N          largest limit of a read (default 25, as the
                              vault documents); more gets 400
  --empty-read-status 404|200 status of a read that finds no record (default
                              404, as the Go loader's tool saw; 200 answers
                              {"records":[]})
  --tls-cert FILE             serve HTTPS with this certificate (PEM, the
                              chain after the leaf); needs --tls-key. TLS 1.2+,
                              ALPN http/1.1 (for HTTP/2 put nghttpx in front:
                              see docs/emulator.md)
  --tls-key FILE              the certificate's private key (PEM, unencrypted)
  --idle-timeout SECONDS      close a connection on which nothing has moved
                              for this long (default 60; 0: never)
  --header-timeout SECONDS    answer 408 and close when a request's head is
                              incomplete this long after its first byte
                              (default 30; 0: never)
  --help                      show this help

)" + FaultFlagsUsage() +
         R"(
Prints "skyflow-vault-emulator listening on http://HOST:PORT" (https:// with
TLS) to stderr once listening; stops cleanly on SIGINT or SIGTERM.
)";
}

// One flag of the command line, with its value.
Status ApplyFlag(std::string_view flag, const std::string& value, EmulatorOptions* options) {
  if (flag == "--listen") {
    SKYFLOW_RETURN_IF_ERROR(ParseListen(value, options));
  } else if (flag == "--port-file") {
    if (value.empty()) return FlagError(flag, "expected a file name");
    options->port_file = value;
  } else if (flag == "--bearer-token") {
    if (value.empty()) return FlagError(flag, "the token is empty");
    options->bearer_tokens.push_back(value);
  } else if (flag == "--bearer-token-file") {
    if (value.empty()) return FlagError(flag, "expected a file name");
    options->bearer_token_files.push_back(value);
  } else if (flag == "--threads") {
    Result<uint64_t> threads = ParseUnsigned(flag, value, 1024);
    if (!threads.ok()) return threads.status();
    if (*threads == 0) return FlagError(flag, "must be at least 1");
    options->threads = static_cast<int>(*threads);
  } else if (IsFaultFlag(flag)) {
    SKYFLOW_RETURN_IF_ERROR(ApplyFaultFlag(flag, value, &options->faults));
    options->fault_flags_given = true;
  } else if (flag == "--faults") {
    if (value.empty()) return FlagError(flag, "expected a file name");
    options->faults_file = value;
  } else if (flag == "--seed") {
    Result<uint64_t> seed = ParseUnsigned(flag, value, UINT64_MAX);
    if (!seed.ok()) return seed.status();
    options->seed = *seed;
    options->seed_given = true;
  } else if (flag == "--conflict-status") {
    if (value != "409" && value != "400") return FlagError(flag, "must be 409 or 400");
    options->conflict_status = value == "409" ? 409 : 400;
  } else if (flag == "--max-body-bytes") {
    Result<uint64_t> bytes = ParseUnsigned(flag, value, kMaxBodyLimit);
    if (!bytes.ok()) return bytes.status();
    if (*bytes == 0) return FlagError(flag, "must be at least 1");
    options->max_body_bytes = *bytes;
  } else if (flag == "--body-limit-status") {
    if (value != "400" && value != "413") return FlagError(flag, "must be 400 or 413");
    options->body_limit_status = value == "400" ? 400 : 413;
  } else if (flag == "--schema") {
    if (value.empty()) return FlagError(flag, "expected a file name");
    options->schema_file = value;
  } else if (flag == "--max-records-per-request") {
    Result<uint64_t> records = ParseUnsigned(flag, value, UINT32_MAX);
    if (!records.ok()) return records.status();
    options->max_records_per_request = *records;
  } else if (flag == "--sa-public-key") {
    Result<ServiceAccountKeySpec> spec = ParseServiceAccountKeySpec(value);
    if (!spec.ok()) return spec.status();
    for (const ServiceAccountKeySpec& earlier : options->sa_public_keys) {
      if (earlier.key_id == spec->key_id) {
        return FlagError(flag, "key ID " + spec->key_id + " is given twice");
      }
    }
    options->sa_public_keys.push_back(std::move(*spec));
  } else if (flag == "--sa-token-uri") {
    if (value.empty()) return FlagError(flag, "expected a URI");
    options->sa_token_uri = value;
  } else if (flag == "--access-token-lifetime") {
    Result<uint64_t> seconds = ParseUnsigned(flag, value, 7 * 86400);
    if (!seconds.ok()) return seconds.status();
    if (*seconds == 0) return FlagError(flag, "must be at least 1");
    options->access_token_lifetime_seconds = static_cast<int64_t>(*seconds);
  } else if (flag == "--data-file") {
    if (value.empty()) return FlagError(flag, "expected a file name");
    options->data_file = value;
  } else if (flag == "--token-format") {
    Result<TokenFormat> format = TokenFormat::Parse(value);
    if (!format.ok()) return format.status();
    options->token_format = std::move(format.value());
  } else if (flag == "--max-read-limit") {
    Result<uint64_t> limit = ParseUnsigned(flag, value, 1000000);
    if (!limit.ok()) return limit.status();
    if (*limit == 0) return FlagError(flag, "must be at least 1");
    options->max_read_limit = *limit;
  } else if (flag == "--empty-read-status") {
    if (value != "404" && value != "200") return FlagError(flag, "must be 404 or 200");
    options->empty_read_status = value == "404" ? 404 : 200;
  } else if (flag == "--tls-cert" || flag == "--tls-key") {
    if (value.empty()) return FlagError(flag, "expected a file name");
    (flag == "--tls-cert" ? options->tls_cert_file : options->tls_key_file) = value;
  } else if (flag == "--idle-timeout" || flag == "--header-timeout") {
    Result<uint64_t> seconds = ParseUnsigned(flag, value, 86400);
    if (!seconds.ok()) return seconds.status();
    (flag == "--idle-timeout" ? options->idle_timeout_seconds : options->header_timeout_seconds) =
        *seconds;
  } else {
    return FlagError(flag, "unknown flag");
  }
  return Status::Ok();
}

Result<EmulatorOptions> ParseEmulatorOptions(const std::vector<std::string>& args) {
  EmulatorOptions options;
  SKYFLOW_RETURN_IF_ERROR(ForEachFlag(args, IsKnownFlag, &options.show_help,
                                      [&options](std::string_view flag, const std::string& value) {
                                        return ApplyFlag(flag, value, &options);
                                      }));
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return options.tls_cert_file.empty()
               ? FlagError("--tls-key", "needs --tls-cert (the certificate of this key)")
               : FlagError("--tls-cert", "needs --tls-key (the certificate's private key)");
  }
  if (!options.faults_file.empty() && options.fault_flags_given) {
    return Status::InvalidArgument(
        "--faults FILE cannot be combined with the other fault flags: put the whole plan in "
        "the file");
  }
  if (Status status = options.faults.Validate(); !status.ok()) {
    return Status::InvalidArgument("fault flags: " + status.message());
  }
  return options;
}

Status LoadFaultsFile(EmulatorOptions* options) {
  if (options->faults_file.empty()) return Status::Ok();
  constexpr size_t kMaxPlanBytes = 1 << 20;
  Result<std::string> text = ReadSmallFile(options->faults_file, kMaxPlanBytes);
  if (!text.ok()) return Status(text.status().code(), "--faults " + text.status().message());
  Result<FaultPlan> plan = ParseFaultPlanJson(*text, "--faults " + options->faults_file);
  if (!plan.ok()) return plan.status();
  options->faults = std::move(plan.value());
  return Status::Ok();
}

Status LoadBearerTokenFiles(EmulatorOptions* options) {
  for (const std::string& path : options->bearer_token_files) {
    std::ifstream file(path);
    if (!file) return Status::IoError("--bearer-token-file " + path + ": cannot open the file");
    std::string line;
    size_t loaded = 0;
    while (std::getline(file, line)) {
      const size_t begin = line.find_first_not_of(" \t\r");
      if (begin == std::string::npos) continue;
      const size_t end = line.find_last_not_of(" \t\r");
      options->bearer_tokens.push_back(line.substr(begin, end - begin + 1));
      ++loaded;
    }
    if (file.bad()) return Status::IoError("--bearer-token-file " + path + ": read error");
    if (loaded == 0) return Status::InvalidArgument("--bearer-token-file " + path + ": no tokens");
  }
  return Status::Ok();
}

}  // namespace skyflow::emulator
