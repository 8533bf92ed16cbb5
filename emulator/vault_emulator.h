// VaultEmulator: the state every worker shares (the store, request and fault
// counters, the fault plan in force, accepted bearer tokens, service-account
// keys and issued access tokens, routes, configuration) and the factory of
// the per-worker handlers that serve the API over it.
//
// main wires it to an HttpServer; tests do the same in-process, or use the
// store directly. The store, counters and fault control are thread-safe;
// the rest is immutable after construction. It must outlive the server using it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "emulator/admin/request_counters.h"
#include "emulator/api/access_token_issuer.h"
#include "emulator/api/bearer_auth.h"
#include "emulator/api/router.h"
#include "emulator/api/service_account_keys.h"
#include "emulator/common/token_format.h"
#include "emulator/faults/fault_control.h"
#include "emulator/faults/fault_counters.h"
#include "emulator/faults/fault_plan.h"
#include "emulator/http/http_handler.h"
#include "emulator/store/vault_schema.h"
#include "emulator/store/vault_store.h"

namespace skyflow::emulator {

struct VaultEmulatorConfig {
  std::vector<std::string> bearer_tokens;  // empty: every request is accepted
  FaultPlan faults;                        // the plan at startup; replaceable through faults()
  // Fault draws and the per-worker id and token generators derive from it
  // (the latter mixed with what a data file replayed: OpenDataFile).
  uint64_t seed = 0;
  int conflict_status = 409;
  uint64_t max_records_per_request = 0;  // 0: unlimited
  // Service-account authentication (spec section 6): keys whose assertions
  // the token endpoint accepts; none: the endpoint answers 401. Moved into
  // the emulator when it is built.
  std::vector<ServiceAccountKey> service_account_keys;
  std::string sa_token_uri;  // the `aud` assertions must name; empty: any
  int64_t access_token_lifetime_seconds = 3600;
  // --schema: declared vaults, tables and columns; null: created on first use.
  std::shared_ptr<const VaultSchema> schema;
  TokenFormat token_format;      // of generated tokens
  uint64_t max_read_limit = 25;  // largest GET limit
  int empty_read_status = 404;   // a GET that finds nothing: 404 or 200
};

enum class ApiRoute {
  kInsert,
  kBatch,
  kRead,
  kDeleteRecords,
  kDeleteRecord,
  kDetokenize,
  kServiceAccountToken,
  kStats,
  kReset,
  kExport,
  kGetFaults,
  kPutFaults,
  kDeleteFaults
};

class VaultEmulator {
 public:
  explicit VaultEmulator(VaultEmulatorConfig config);

  // --data-file: replays the file into the store, then journals every
  // change to it. Before the server starts.
  Status OpenDataFile(const std::string& path, JournalReplayStats* replay);

  std::unique_ptr<HttpHandler> CreateHandler(int worker_index);
  HttpHandlerFactory HandlerFactory() {
    return [this](int worker_index) { return CreateHandler(worker_index); };
  }

  const VaultEmulatorConfig& config() const { return config_; }
  // The seed of generated skyflow_ids and tokens (see OpenDataFile).
  uint64_t id_seed() const { return id_seed_; }
  VaultStore& store() { return store_; }
  RequestCounters& counters() { return counters_; }
  const BearerAuth& auth() const { return auth_; }
  const ServiceAccountKeys& service_account_keys() const { return service_account_keys_; }
  // Null unless service-account keys are configured.
  AccessTokenIssuer* access_token_issuer() { return access_token_issuer_.get(); }
  const Router& router() const { return router_; }
  FaultControl& faults() { return faults_; }
  FaultCounters& fault_counters() { return fault_counters_; }

 private:
  VaultEmulatorConfig config_;
  ServiceAccountKeys service_account_keys_;
  std::unique_ptr<AccessTokenIssuer> access_token_issuer_;  // before auth_, which uses it
  BearerAuth auth_;
  Router router_;
  VaultStore store_;
  RequestCounters counters_;
  FaultControl faults_;
  FaultCounters fault_counters_;
  uint64_t id_seed_;
};

}  // namespace skyflow::emulator
