#include "emulator/store/vault_store.h"

#include <mutex>

namespace skyflow::emulator {

std::string VaultStore::TableKey(std::string_view vault_id, std::string_view table) {
  std::string key;
  key.reserve(vault_id.size() + 1 + table.size());
  key.append(vault_id).append("/").append(table);
  return key;
}

Status VaultStore::Insert(std::string_view vault_id, std::string_view table,
                          const InsertRequest& request, Random* random, InsertResult* result) {
  // Per-thread, so that a 32-character vault ID does not cost an allocation
  // per request.
  thread_local std::string key;
  key.assign(vault_id).append("/").append(table);
  {
    std::shared_lock lock(mutex_);
    if (auto it = tables_.find(key); it != tables_.end()) {
      return it->second->Insert(request, random, result);
    }
  }
  // First request for this table: create it and insert under the exclusive
  // lock, which costs one request's worth of waiting, once per table.
  std::unique_lock lock(mutex_);
  auto [it, created] = tables_.try_emplace(key);
  if (created) it->second = std::make_unique<VaultTable>();
  return it->second->Insert(request, random, result);
}

std::optional<StoredRecordCopy> VaultStore::FindByToken(std::string_view vault_id,
                                                        std::string_view table,
                                                        std::string_view column,
                                                        std::string_view token) const {
  std::shared_lock lock(mutex_);
  const auto it = tables_.find(TableKey(vault_id, table));
  if (it == tables_.end()) return std::nullopt;
  return it->second->FindByToken(column, token);
}

std::vector<NamedTableStats> VaultStore::Stats() const {
  std::shared_lock lock(mutex_);
  std::vector<NamedTableStats> stats;
  stats.reserve(tables_.size());
  for (const auto& [name, table] : tables_)
    stats.push_back({name, table->Stats()});
  return stats;
}

void VaultStore::Reset() {
  std::unique_lock lock(mutex_);
  tables_.clear();
}

}  // namespace skyflow::emulator
