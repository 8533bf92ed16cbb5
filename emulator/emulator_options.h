// EmulatorOptions: the command line of skyflow-vault-emulator.
//
// Scripts and tests depend on these flag names; see UsageText() for the
// reference. Both "--flag value" and "--flag=value" are accepted. Parsing is
// pure (no I/O): --bearer-token-file and --faults are read afterwards by
// LoadBearerTokenFiles and LoadFaultsFile, and the --sa-public-key files by
// LoadServiceAccountKeys (api/service_account_keys.h), so tests can parse
// without files. Value types; not synchronised.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "emulator/api/service_account_keys.h"
#include "emulator/common/token_format.h"
#include "emulator/faults/fault_plan.h"
#include "util/status.h"

namespace skyflow::emulator {

struct EmulatorOptions {
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 0;
  std::string port_file;
  std::vector<std::string> bearer_tokens;
  std::vector<std::string> bearer_token_files;
  int threads = 0;   // 0: hardware concurrency
  FaultPlan faults;  // from the fault flags or --faults FILE
  bool fault_flags_given = false;
  std::string faults_file;
  bool seed_given = false;
  uint64_t seed = 0;
  int conflict_status = 409;
  uint64_t max_body_bytes = 64ULL << 20;
  int body_limit_status = 400;
  uint64_t max_records_per_request = 0;
  std::vector<ServiceAccountKeySpec> sa_public_keys;  // files read by LoadServiceAccountKeys
  std::string sa_token_uri;
  int64_t access_token_lifetime_seconds = 3600;
  std::string schema_file;  // --schema; empty: vaults and tables created on first use
  std::string data_file;    // --data-file; empty: the store lives in memory only
  TokenFormat token_format;
  uint64_t max_read_limit = 25;
  int empty_read_status = 404;
  // TLS: both or neither (PEM files; the key unencrypted).
  std::string tls_cert_file;
  std::string tls_key_file;
  uint64_t idle_timeout_seconds = 60;    // 0: never
  uint64_t header_timeout_seconds = 30;  // 0: never
  bool show_help = false;
};

// Errors are kInvalidArgument with a message naming the flag.
Result<EmulatorOptions> ParseEmulatorOptions(const std::vector<std::string>& args);

// Reads --faults FILE into options->faults (when given).
Status LoadFaultsFile(EmulatorOptions* options);

// Appends the tokens of every --bearer-token-file (one per line; blank lines
// and surrounding whitespace ignored) to options->bearer_tokens.
Status LoadBearerTokenFiles(EmulatorOptions* options);

std::string UsageText();

}  // namespace skyflow::emulator
