#include "emulator/vault_emulator.h"

#include "emulator/api/api_handler.h"

namespace skyflow::emulator {

VaultEmulator::VaultEmulator(VaultEmulatorConfig config)
    : config_(std::move(config)), auth_(config_.bearer_tokens), store_(config_.schema.get()) {
  router_.Add("POST", "/v1/vaults/{}/{}", static_cast<int>(ApiRoute::kInsert));
  router_.Add("POST", "/v1/vaults/{}", static_cast<int>(ApiRoute::kBatch));
  router_.Add("GET", "/emulator/v1/stats", static_cast<int>(ApiRoute::kStats));
  router_.Add("POST", "/emulator/v1/reset", static_cast<int>(ApiRoute::kReset));
}

std::unique_ptr<HttpHandler> VaultEmulator::CreateHandler(int worker_index) {
  return std::make_unique<ApiHandler>(this, worker_index);
}

}  // namespace skyflow::emulator
