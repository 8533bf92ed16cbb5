#include "emulator/store/vault_store.h"

#include <mutex>

namespace skyflow::emulator {

std::string VaultStore::TableKey(std::string_view vault_id, std::string_view table) {
  std::string key;
  key.reserve(vault_id.size() + 1 + table.size());
  key.append(vault_id).append("/").append(table);
  return key;
}

Status VaultStore::CheckVault(std::string_view vault_id) const {
  if (schema_ == nullptr || schema_->HasVault(vault_id)) return Status::Ok();
  return VaultSchema::UnknownVault(vault_id);
}

Result<VaultTable*> VaultStore::FindTable(std::string_view vault_id, std::string_view table,
                                          const std::string& key, bool create) {
  if (auto it = tables_.find(key); it != tables_.end()) return it->second.get();
  if (!create) return static_cast<VaultTable*>(nullptr);
  const TableSchema* table_schema = nullptr;
  if (schema_ != nullptr) {
    SKYFLOW_RETURN_IF_ERROR(CheckVault(vault_id));
    table_schema = schema_->FindTable(vault_id, table);
    if (table_schema == nullptr) return VaultSchema::UnknownTable(vault_id, table);
  }
  auto& created = tables_[key];
  created = std::make_unique<VaultTable>(table_schema);
  return created.get();
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
  Result<VaultTable*> found = FindTable(vault_id, table, key, true);
  if (!found.ok()) return found.status();
  return (*found)->Insert(request, random, result);
}

Status VaultStore::InsertTogether(std::string_view vault_id,
                                  std::span<const std::string_view> tables,
                                  std::span<const InsertRequest> requests, Random* random,
                                  std::span<InsertResult> results) {
  std::vector<std::string> keys;
  keys.reserve(tables.size());
  for (const std::string_view table : tables)
    keys.push_back(TableKey(vault_id, table));
  std::vector<VaultTable*> found(tables.size(), nullptr);
  // Shared while every table exists (the usual case); exclusive, to create
  // the missing ones, otherwise. Either way the lock is held until the
  // insert is done, so Reset cannot drop a table in between.
  const auto resolve_and_insert = [&](bool create) -> Result<bool> {
    for (size_t i = 0; i < tables.size(); ++i) {
      Result<VaultTable*> table = FindTable(vault_id, tables[i], keys[i], create);
      if (!table.ok()) return table.status();
      if (*table == nullptr) return false;
      found[i] = *table;
    }
    SKYFLOW_RETURN_IF_ERROR(VaultTable::InsertTogether(found, requests, random, results));
    return true;
  };
  {
    std::shared_lock lock(mutex_);
    Result<bool> done = resolve_and_insert(false);
    if (!done.ok()) return done.status();
    if (*done) return Status::Ok();
  }
  std::unique_lock lock(mutex_);
  Result<bool> done = resolve_and_insert(true);
  return done.ok() ? Status::Ok() : done.status();
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
