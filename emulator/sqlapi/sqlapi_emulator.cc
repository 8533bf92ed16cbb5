#include "emulator/sqlapi/sqlapi_emulator.h"

#include "emulator/common/random.h"
#include "emulator/sqlapi/sqlapi_handler.h"

namespace skyflow::emulator::sqlapi {

SqlApiEmulator::SqlApiEmulator(SqlApiEmulatorConfig config, SqlApiAuth auth)
    : config_(std::move(config)),
      auth_(std::move(auth)),
      registry_(DeriveSeed(config_.seed, 1)),
      executor_(config_.pg_dsn, config_.executors, config_.partitions),
      faults_(config_.faults, DeriveSeed(config_.seed, 2)) {
  // The literal "/cancel" route before the handle's.
  router_.Add("POST", "/api/v2/statements/{}/cancel", static_cast<int>(SqlApiRoute::kCancel));
  router_.Add("POST", "/api/v2/statements", static_cast<int>(SqlApiRoute::kSubmit));
  router_.Add("GET", "/api/v2/statements/{}", static_cast<int>(SqlApiRoute::kStatus));
  router_.Add("GET", "/emulator/v1/stats", static_cast<int>(SqlApiRoute::kStats));
}

std::unique_ptr<HttpHandler> SqlApiEmulator::CreateHandler(int /*worker_index*/) {
  return std::make_unique<SqlApiHandler>(this);
}

}  // namespace skyflow::emulator::sqlapi
