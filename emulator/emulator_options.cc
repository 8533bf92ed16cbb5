#include "emulator/emulator_options.h"

#include <charconv>
#include <fstream>
#include <string_view>

namespace skyflow::emulator {
namespace {

// Upper bound for --max-body-bytes: stored strings keep 32-bit sizes.
constexpr uint64_t kMaxBodyLimit = 1ULL << 31;

Status FlagError(std::string_view flag, std::string_view problem) {
  return Status::InvalidArgument(std::string(flag) + ": " + std::string(problem));
}

Result<uint64_t> ParseUnsigned(std::string_view flag, std::string_view text, uint64_t max) {
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return FlagError(flag, "expected a non-negative integer, got \"" + std::string(text) + "\"");
  }
  if (value > max) return FlagError(flag, "must be at most " + std::to_string(max));
  return value;
}

Result<double> ParseProbability(std::string_view flag, std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || !(value >= 0) ||
      value > 1) {
    return FlagError(flag,
                     "expected a probability between 0 and 1, got \"" + std::string(text) + "\"");
  }
  return value;
}

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
  static constexpr std::string_view kFlags[] = {"--listen",         "--port-file",
                                                "--bearer-token",   "--bearer-token-file",
                                                "--threads",        "--fault-429",
                                                "--fault-503",      "--fault-500",
                                                "--fault-408",      "--retry-after",
                                                "--seed",           "--conflict-status",
                                                "--max-body-bytes", "--max-records-per-request",
                                                "--tls-cert",       "--tls-key",
                                                "--idle-timeout",   "--header-timeout"};
  for (const std::string_view known : kFlags) {
    if (flag == known) return true;
  }
  return false;
}

}  // namespace

std::string UsageText() {
  return R"(Usage: skyflow-vault-emulator [flags]

A local stand-in for a Skyflow vault: speaks the vault REST API over HTTP,
keeps what it stores in memory, and injects faults on demand.

Endpoints:
  POST /v1/vaults/{vaultID}/{table}  insert (records, tokenization, byot, upsert)
  GET  /emulator/v1/stats            records and PairDigest per table, request counts
  POST /emulator/v1/reset            drop every table and counter
  (the /emulator/v1 endpoints need no bearer token and are never faulted)

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
  --fault-429 P               probability (0..1) that an insert is answered 429
  --fault-503 P               ... 503
  --fault-500 P               ... 500
  --fault-408 P               ... 408; nothing is stored for a faulted request
                              (the probabilities must add up to at most 1)
  --retry-after SECONDS       Retry-After sent with 429 and 503 (default 1; 0
                              omits the header)
  --seed N                    seed for fault decisions and generated ids
                              (default: random)
  --conflict-status 409|400   status of a uniqueness violation (default 409)
  --max-body-bytes N          largest request body (default 67108864); larger
                              ones get 413
  --max-records-per-request N most records in one insert (default 0: no
                              limit); more get 400
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

Prints "skyflow-vault-emulator listening on http://HOST:PORT" (https:// with
TLS) to stderr once listening; stops cleanly on SIGINT or SIGTERM.
)";
}

Result<EmulatorOptions> ParseEmulatorOptions(const std::vector<std::string>& args) {
  EmulatorOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      options.show_help = true;
      continue;
    }
    if (arg.substr(0, 2) != "--")
      return FlagError(arg, "unexpected argument (flags start with --)");
    std::string_view flag = arg;
    std::string value;
    const size_t equals = arg.find('=');
    if (equals != std::string_view::npos) flag = arg.substr(0, equals);
    if (!IsKnownFlag(flag)) return FlagError(flag, "unknown flag");
    if (equals != std::string_view::npos) {
      value = std::string(arg.substr(equals + 1));
    } else {
      if (i + 1 >= args.size()) return FlagError(flag, "missing value");
      value = args[++i];
    }

    if (flag == "--listen") {
      SKYFLOW_RETURN_IF_ERROR(ParseListen(value, &options));
    } else if (flag == "--port-file") {
      if (value.empty()) return FlagError(flag, "expected a file name");
      options.port_file = value;
    } else if (flag == "--bearer-token") {
      if (value.empty()) return FlagError(flag, "the token is empty");
      options.bearer_tokens.push_back(value);
    } else if (flag == "--bearer-token-file") {
      if (value.empty()) return FlagError(flag, "expected a file name");
      options.bearer_token_files.push_back(value);
    } else if (flag == "--threads") {
      Result<uint64_t> threads = ParseUnsigned(flag, value, 1024);
      if (!threads.ok()) return threads.status();
      if (*threads == 0) return FlagError(flag, "must be at least 1");
      options.threads = static_cast<int>(*threads);
    } else if (flag == "--fault-429" || flag == "--fault-503" || flag == "--fault-500" ||
               flag == "--fault-408") {
      Result<double> probability = ParseProbability(flag, value);
      if (!probability.ok()) return probability.status();
      double* target = flag == "--fault-429"   ? &options.faults.probability_429
                       : flag == "--fault-503" ? &options.faults.probability_503
                       : flag == "--fault-500" ? &options.faults.probability_500
                                               : &options.faults.probability_408;
      *target = *probability;
    } else if (flag == "--retry-after") {
      Result<uint64_t> seconds = ParseUnsigned(flag, value, 86400);
      if (!seconds.ok()) return seconds.status();
      options.faults.retry_after_seconds = static_cast<int>(*seconds);
    } else if (flag == "--seed") {
      Result<uint64_t> seed = ParseUnsigned(flag, value, UINT64_MAX);
      if (!seed.ok()) return seed.status();
      options.seed = *seed;
      options.seed_given = true;
    } else if (flag == "--conflict-status") {
      if (value != "409" && value != "400") return FlagError(flag, "must be 409 or 400");
      options.conflict_status = value == "409" ? 409 : 400;
    } else if (flag == "--max-body-bytes") {
      Result<uint64_t> bytes = ParseUnsigned(flag, value, kMaxBodyLimit);
      if (!bytes.ok()) return bytes.status();
      if (*bytes == 0) return FlagError(flag, "must be at least 1");
      options.max_body_bytes = *bytes;
    } else if (flag == "--max-records-per-request") {
      Result<uint64_t> records = ParseUnsigned(flag, value, UINT32_MAX);
      if (!records.ok()) return records.status();
      options.max_records_per_request = *records;
    } else if (flag == "--tls-cert" || flag == "--tls-key") {
      if (value.empty()) return FlagError(flag, "expected a file name");
      (flag == "--tls-cert" ? options.tls_cert_file : options.tls_key_file) = value;
    } else if (flag == "--idle-timeout" || flag == "--header-timeout") {
      Result<uint64_t> seconds = ParseUnsigned(flag, value, 86400);
      if (!seconds.ok()) return seconds.status();
      (flag == "--idle-timeout" ? options.idle_timeout_seconds : options.header_timeout_seconds) =
          *seconds;
    } else {
      return FlagError(flag, "unknown flag");
    }
  }
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return options.tls_cert_file.empty()
               ? FlagError("--tls-key", "needs --tls-cert (the certificate of this key)")
               : FlagError("--tls-cert", "needs --tls-key (the certificate's private key)");
  }
  const FaultOptions& faults = options.faults;
  const double total = faults.probability_429 + faults.probability_503 + faults.probability_500 +
                       faults.probability_408;
  if (total > 1.0 + 1e-9) {
    return Status::InvalidArgument(
        "--fault-429, --fault-503, --fault-500 and --fault-408 add up "
        "to more than 1");
  }
  return options;
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
