// EmulatorOptions: the command line of skyflow-vault-emulator.
//
// Scripts and tests depend on these flag names; see UsageText() for the
// reference. Both "--flag value" and "--flag=value" are accepted. Parsing is
// pure (no I/O) except for --bearer-token-file, which LoadBearerTokenFiles
// reads afterwards, so tests can parse without files. Value types; not
// synchronised.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "emulator/faults/fault_injector.h"
#include "util/status.h"

namespace skyflow::emulator {

struct EmulatorOptions {
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 0;
  std::string port_file;
  std::vector<std::string> bearer_tokens;
  std::vector<std::string> bearer_token_files;
  int threads = 0;  // 0: hardware concurrency
  FaultOptions faults;
  bool seed_given = false;
  uint64_t seed = 0;
  int conflict_status = 409;
  uint64_t max_body_bytes = 64ULL << 20;
  uint64_t max_records_per_request = 0;
  // TLS: both or neither (PEM files; the key unencrypted).
  std::string tls_cert_file;
  std::string tls_key_file;
  uint64_t idle_timeout_seconds = 60;    // 0: never
  uint64_t header_timeout_seconds = 30;  // 0: never
  bool show_help = false;
};

// Errors are kInvalidArgument with a message naming the flag.
Result<EmulatorOptions> ParseEmulatorOptions(const std::vector<std::string>& args);

// Appends the tokens of every --bearer-token-file (one per line; blank lines
// and surrounding whitespace ignored) to options->bearer_tokens.
Status LoadBearerTokenFiles(EmulatorOptions* options);

std::string UsageText();

}  // namespace skyflow::emulator
