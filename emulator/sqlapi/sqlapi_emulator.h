// SqlApiEmulator: what every HTTP worker of skyflow-sqlapi-emulator shares
// (authentication, the statements and their executor, faults, counters,
// routes, configuration) and the factory of the per-worker handlers.
//
// main builds it, Start()s the executor, wires HandlerFactory() to an
// HttpServer, and Stop()s it (which cancels every statement still queued or
// running) before stopping the server. Everything here is
// thread-safe or immutable after construction; it must outlive the server.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "emulator/api/router.h"
#include "emulator/http/http_handler.h"
#include "emulator/sqlapi/result_partitions.h"
#include "emulator/sqlapi/sqlapi_auth.h"
#include "emulator/sqlapi/sqlapi_faults.h"
#include "emulator/sqlapi/sqlapi_stats.h"
#include "emulator/sqlapi/statement_executor.h"
#include "emulator/sqlapi/statement_registry.h"

namespace skyflow::emulator::sqlapi {

struct SqlApiEmulatorConfig {
  std::string pg_dsn;
  PartitionSizing partitions;
  std::chrono::milliseconds async_delay{0};
  // How long a synchronous submit (async=false) waits before answering 202,
  // as Snowflake does after about 45 seconds.
  std::chrono::milliseconds sync_wait{45000};
  int executors = 4;
  SqlApiFaultRates faults;
  uint64_t seed = 0;
};

enum class SqlApiRoute { kSubmit, kStatus, kCancel, kStats };

class SqlApiEmulator {
 public:
  SqlApiEmulator(SqlApiEmulatorConfig config, SqlApiAuth auth);

  void Start() { executor_.Start(); }
  void Stop() { executor_.Stop(); }

  std::unique_ptr<HttpHandler> CreateHandler(int worker_index);
  HttpHandlerFactory HandlerFactory() {
    return [this](int worker_index) { return CreateHandler(worker_index); };
  }

  const SqlApiEmulatorConfig& config() const { return config_; }
  const SqlApiAuth& auth() const { return auth_; }
  const Router& router() const { return router_; }
  StatementRegistry& registry() { return registry_; }
  StatementExecutor& executor() { return executor_; }
  SqlApiFaults& faults() { return faults_; }
  SqlApiStats& stats() { return stats_; }

 private:
  SqlApiEmulatorConfig config_;
  SqlApiAuth auth_;
  Router router_;
  StatementRegistry registry_;
  StatementExecutor executor_;
  SqlApiFaults faults_;
  SqlApiStats stats_;
};

}  // namespace skyflow::emulator::sqlapi
