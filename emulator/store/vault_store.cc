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

Status VaultStore::UnknownTable(std::string_view vault_id, std::string_view table) const {
  if (schema_ != nullptr) {
    SKYFLOW_RETURN_IF_ERROR(CheckVault(vault_id));
    return VaultSchema::UnknownTable(vault_id, table);
  }
  return Status::NotFound("Invalid request. Table name " + std::string(table) +
                          " is invalid in vault " + std::string(vault_id) +
                          ". Specify a valid table name (tables exist once a record was inserted)");
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
  if (journal_ != nullptr) created->AttachJournal(journal_.get(), key);
  return created.get();
}

Status VaultStore::Insert(std::string_view vault_id, std::string_view table,
                          const InsertRequest& request, Random* random, InsertResult* result,
                          Durability durable) {
  SKYFLOW_RETURN_IF_ERROR(CheckWritable());
  const auto finish = [&](const Status& status) {
    return durable == Durability::kWait ? Durable(status) : status;
  };
  // Per-thread, so that a 32-character vault ID does not cost an allocation
  // per request.
  thread_local std::string key;
  key.assign(vault_id).append("/").append(table);
  Status status;
  bool table_exists = false;
  {
    std::shared_lock lock(mutex_);
    if (auto it = tables_.find(key); it != tables_.end()) {
      table_exists = true;
      status = it->second->Insert(request, random, result);
    }
  }
  if (table_exists) return finish(status);
  // First request for this table: create it and insert under the exclusive
  // lock, which costs one request's worth of waiting, once per table.
  {
    std::unique_lock lock(mutex_);
    const bool existed = tables_.find(key) != tables_.end();  // created meanwhile
    Result<VaultTable*> found = FindTable(vault_id, table, key, true);
    if (!found.ok()) return found.status();
    status = (*found)->Insert(request, random, result);
    // A refused request leaves no trace, not even the table it would have
    // created (a later read must still find the table unknown).
    if (!status.ok() && !existed) tables_.erase(key);
  }
  return finish(status);
}

Status VaultStore::InsertTogether(std::string_view vault_id,
                                  std::span<const std::string_view> tables,
                                  std::span<const InsertRequest> requests, Random* random,
                                  std::span<InsertResult> results) {
  SKYFLOW_RETURN_IF_ERROR(CheckWritable());
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
    // The sync happens outside the lock: table creation and Reset need not
    // wait for the disk.
    Result<bool> done = Status::Ok();
    {
      std::shared_lock lock(mutex_);
      done = resolve_and_insert(false);
    }
    if (!done.ok()) return Durable(done.status());
    if (*done) return Durable(Status::Ok());
  }
  Result<bool> done = Status::Ok();
  {
    std::unique_lock lock(mutex_);
    std::vector<bool> existed(keys.size());
    for (size_t i = 0; i < keys.size(); ++i)
      existed[i] = tables_.find(keys[i]) != tables_.end();
    done = resolve_and_insert(true);
    // As in Insert: the tables this refused request created go again.
    for (size_t i = 0; i < keys.size() && !done.ok(); ++i) {
      if (!existed[i]) tables_.erase(keys[i]);
    }
  }
  return Durable(done.ok() ? Status::Ok() : done.status());
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
  {
    std::unique_lock lock(mutex_);
    tables_.clear();
    if (journal_ != nullptr) journal_->AppendReset();
  }
  // Reset answers {"reset":true} whatever happens; a journal that cannot
  // write refuses every later write, which is where it shows.
  (void)MakeDurable();
}

Status VaultStore::OpenJournal(const std::string& path, JournalReplayStats* stats) {
  Result<std::unique_ptr<Journal>> journal = Journal::Open(path, this, stats);
  if (!journal.ok()) return journal.status();
  std::unique_lock lock(mutex_);
  journal_ = std::move(journal.value());
  for (auto& [key, table] : tables_)
    table->AttachJournal(journal_.get(), key);
  return Status::Ok();
}

Status VaultStore::CheckWritable() const {
  if (journal_ == nullptr || journal_->healthy()) return Status::Ok();
  return Status::Unavailable(
      "the emulator cannot write its data file any more; it refuses changes it could not "
      "acknowledge (see its log, fix the disk, restart it)");
}

Status VaultStore::MakeDurable() {
  if (journal_ == nullptr) return Status::Ok();
  Status status = journal_->WaitDurable(journal_->last_sequence());
  if (status.ok()) return status;
  return Status::Unavailable("the emulator cannot persist its data file (" + status.message() +
                             "); nothing more is acknowledged");
}

Result<VaultTable*> VaultStore::ReplayTable(std::string_view key) {
  const size_t slash = key.find('/');
  if (slash == std::string_view::npos) {
    return Status::ParseError("table key \"" + std::string(key) + "\" has no '/'");
  }
  std::unique_lock lock(mutex_);
  return FindTable(key.substr(0, slash), key.substr(slash + 1), std::string(key), true);
}

Status VaultStore::OnPut(std::string_view table, const Uuid& id, JournalPut put,
                         const std::vector<JournalField>& fields) {
  Result<VaultTable*> found = ReplayTable(table);
  if (!found.ok()) return found.status();
  Status restored = (*found)->Restore(id, put, fields);
  if (restored.ok()) return restored;
  return Status(restored.code(), "table " + std::string(table) + ": " + restored.message());
}

Status VaultStore::OnDelete(std::string_view table, const std::vector<Uuid>& ids) {
  Result<VaultTable*> found = ReplayTable(table);
  if (!found.ok()) return found.status();
  for (const Uuid& id : ids)
    (*found)->Delete(id);
  return Status::Ok();
}

Status VaultStore::OnDeleteAll(std::string_view table) {
  Result<VaultTable*> found = ReplayTable(table);
  if (!found.ok()) return found.status();
  (*found)->DeleteAll();
  return Status::Ok();
}

Status VaultStore::OnReset() {
  std::unique_lock lock(mutex_);
  tables_.clear();
  return Status::Ok();
}

}  // namespace skyflow::emulator
