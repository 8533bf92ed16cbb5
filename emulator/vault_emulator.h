// VaultEmulator: the state every worker shares (the store, request counters,
// accepted bearer tokens, routes, configuration) and the factory of the
// per-worker handlers that serve the API over it.
//
// main wires it to an HttpServer; tests do the same in-process, or use the
// store directly. The store and counters are thread-safe; the rest is
// immutable after construction. It must outlive the server using it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "emulator/admin/request_counters.h"
#include "emulator/api/bearer_auth.h"
#include "emulator/api/router.h"
#include "emulator/common/token_format.h"
#include "emulator/faults/fault_injector.h"
#include "emulator/http/http_handler.h"
#include "emulator/store/vault_store.h"

namespace skyflow::emulator {

struct VaultEmulatorConfig {
  std::vector<std::string> bearer_tokens;  // empty: every request is accepted
  FaultOptions faults;
  uint64_t seed = 0;  // per-worker generators derive from it
  int conflict_status = 409;
  uint64_t max_records_per_request = 0;  // 0: unlimited
  TokenFormat token_format;              // of generated tokens
  uint64_t max_read_limit = 25;          // largest GET limit
  int empty_read_status = 404;           // a GET that finds nothing: 404 or 200
};

enum class ApiRoute {
  kInsert,
  kStats,
  kReset,
  kRead,
  kDeleteRecords,
  kDeleteRecord,
  kDetokenize,
  kExport,
};

class VaultEmulator {
 public:
  explicit VaultEmulator(VaultEmulatorConfig config);

  std::unique_ptr<HttpHandler> CreateHandler(int worker_index);
  HttpHandlerFactory HandlerFactory() {
    return [this](int worker_index) { return CreateHandler(worker_index); };
  }

  const VaultEmulatorConfig& config() const { return config_; }
  VaultStore& store() { return store_; }
  RequestCounters& counters() { return counters_; }
  const BearerAuth& auth() const { return auth_; }
  const Router& router() const { return router_; }

 private:
  VaultEmulatorConfig config_;
  BearerAuth auth_;
  Router router_;
  VaultStore store_;
  RequestCounters counters_;
};

}  // namespace skyflow::emulator
