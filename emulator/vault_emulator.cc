#include "emulator/vault_emulator.h"

#include "emulator/api/api_handler.h"
#include "emulator/common/random.h"

namespace skyflow::emulator {

VaultEmulator::VaultEmulator(VaultEmulatorConfig config)
    : config_(std::move(config)),
      // Moved: the keys live in service_account_keys_ alone.
      service_account_keys_(std::move(config_.service_account_keys)),
      access_token_issuer_(
          service_account_keys_.empty()
              ? nullptr
              : std::make_unique<AccessTokenIssuer>(config_.access_token_lifetime_seconds)),
      auth_(config_.bearer_tokens, access_token_issuer_.get()),
      store_(config_.schema.get()),
      faults_(config_.faults),
      id_seed_(config_.seed) {
  // Before the per-table routes: a literal segment must win over "{}".
  router_.Add("POST", "/v1/vaults/{}/detokenize", static_cast<int>(ApiRoute::kDetokenize));
  router_.Add("POST", "/v1/vaults/{}/{}", static_cast<int>(ApiRoute::kInsert));
  router_.Add("GET", "/v1/vaults/{}/{}", static_cast<int>(ApiRoute::kRead));
  router_.Add("DELETE", "/v1/vaults/{}/{}", static_cast<int>(ApiRoute::kDeleteRecords));
  router_.Add("DELETE", "/v1/vaults/{}/{}/{}", static_cast<int>(ApiRoute::kDeleteRecord));
  router_.Add("POST", "/v1/vaults/{}", static_cast<int>(ApiRoute::kBatch));
  router_.Add("POST", "/v1/auth/sa/oauth/token", static_cast<int>(ApiRoute::kServiceAccountToken));
  router_.Add("GET", "/emulator/v1/export", static_cast<int>(ApiRoute::kExport));
  router_.Add("GET", "/emulator/v1/stats", static_cast<int>(ApiRoute::kStats));
  router_.Add("POST", "/emulator/v1/reset", static_cast<int>(ApiRoute::kReset));
  router_.Add("GET", "/emulator/v1/faults", static_cast<int>(ApiRoute::kGetFaults));
  router_.Add("PUT", "/emulator/v1/faults", static_cast<int>(ApiRoute::kPutFaults));
  router_.Add("DELETE", "/emulator/v1/faults", static_cast<int>(ApiRoute::kDeleteFaults));
}

Status VaultEmulator::OpenDataFile(const std::string& path, JournalReplayStats* replay) {
  SKYFLOW_RETURN_IF_ERROR(store_.OpenJournal(path, replay));
  // Over a replayed file the same --seed would draw the previous run's ids
  // and tokens again, every one of them taken. The number of replayed
  // entries grows with every acknowledged change, so mixing it in gives
  // each start from a given file its own, still reproducible, stream.
  if (replay->entries > 0) id_seed_ = DeriveSeed(config_.seed, replay->entries);
  return Status::Ok();
}

std::unique_ptr<HttpHandler> VaultEmulator::CreateHandler(int worker_index) {
  return std::make_unique<ApiHandler>(this, worker_index);
}

}  // namespace skyflow::emulator
