// VaultStore: every vault table the emulator holds, created on first use.
//
// With a VaultSchema, a table is created only if the schema declares it
// (otherwise kNotFound, the API's 404 for an unknown vault or table), and it
// enforces its declared columns (see VaultTable). The check happens when a
// table is created, so requests to existing tables pay nothing for it.
//
// Tables are keyed "<vaultID>/<table>" (neither part can contain '/': they
// come from URL path segments). The map sits behind a shared_mutex: inserts
// into different tables, or the same one, take it shared, so they only
// contend on the table's own mutex; only creating a table and Reset take it
// exclusively. Reset therefore waits for inserts in flight and never pulls a
// table from under one; the same holds for WithTable and ForEachTableOf,
// which run their callback under the shared lock.
//
// Persistence (OpenJournal, --data-file): every change is appended to a
// Journal under the changed table's lock, and the write methods (Insert,
// InsertTogether, Reset) return only once it is on disk, refusals included
// (a conflict reports stored state); deletions, reads, detokenize and the
// export, which go through WithTable or ForEachTableOf, call MakeDurable
// before answering, so no answer reports a record a crash could still
// lose. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/common/random.h"
#include "emulator/store/insert_request.h"
#include "emulator/store/journal.h"
#include "emulator/store/vault_schema.h"
#include "emulator/store/vault_table.h"
#include "util/status.h"

namespace skyflow::emulator {

struct NamedTableStats {
  std::string name;  // "<vaultID>/<table>"
  TableStats stats;
};

class VaultStore : private JournalVisitor {
 public:
  // `schema` (nullptr: none, everything is created on first use) must
  // outlive the store.
  explicit VaultStore(const VaultSchema* schema = nullptr) : schema_(schema) {}

  // kNotFound when a schema is loaded and does not declare the vault.
  Status CheckVault(std::string_view vault_id) const;

  // With a journal, returns once the insert is on disk, unless `durable`
  // is kDeferred: then the caller calls MakeDurable before answering (one
  // sync for many inserts).
  enum class Durability { kWait, kDeferred };
  Status Insert(std::string_view vault_id, std::string_view table, const InsertRequest& request,
                Random* random, InsertResult* result, Durability durable = Durability::kWait);

  // All-or-nothing across tables of one vault (the batch endpoint without
  // continueOnError): requests[i] goes to tables[i], which are distinct;
  // nothing is written unless every request passes. results[i] answers
  // requests[i].
  Status InsertTogether(std::string_view vault_id, std::span<const std::string_view> tables,
                        std::span<const InsertRequest> requests, Random* random,
                        std::span<InsertResult> results);

  std::optional<StoredRecordCopy> FindByToken(std::string_view vault_id, std::string_view table,
                                              std::string_view column,
                                              std::string_view token) const;

  // Runs fn(VaultTable&) on the table (under the map's shared lock, so fn
  // must not call Insert or Reset); false when the table is unknown
  // (UnknownTable says why). Without a schema a table exists once an insert
  // created it. With one, a declared table that was never written is an
  // empty table: fn gets a fresh one with the declared columns, so reads
  // find nothing, deletes delete nothing and an export is empty, exactly
  // as for a stored table whose records were all deleted.
  template <typename Fn>
  bool WithTable(std::string_view vault_id, std::string_view table, Fn&& fn) const {
    std::shared_lock lock(mutex_);
    const auto it = tables_.find(TableKey(vault_id, table));
    if (it != tables_.end()) {
      fn(*it->second);
      return true;
    }
    const TableSchema* declared =
        schema_ == nullptr ? nullptr : schema_->FindTable(vault_id, table);
    if (declared == nullptr) return false;
    VaultTable empty(declared);  // no journal: nothing done to it is kept
    fn(empty);
    return true;
  }

  // kNotFound for a table WithTable did not find: the vault's message when
  // a schema does not declare the vault, the table's otherwise.
  Status UnknownTable(std::string_view vault_id, std::string_view table) const;

  // Calls fn(table_name, VaultTable&) for every table of `vault_id`, sorted by
  // table name, until fn returns false; same locking as WithTable.
  template <typename Fn>
  void ForEachTableOf(std::string_view vault_id, Fn&& fn) const {
    std::shared_lock lock(mutex_);
    const std::string prefix = TableKey(vault_id, "");
    for (auto it = tables_.lower_bound(prefix);
         it != tables_.end() && std::string_view(it->first).substr(0, prefix.size()) == prefix;
         ++it) {
      if (!fn(std::string_view(it->first).substr(prefix.size()), *it->second)) return;
    }
  }

  // Sorted by name.
  std::vector<NamedTableStats> Stats() const;

  // Drops every table.
  void Reset();

  // Replays the journal at `path` (created if missing) into this store,
  // which must be empty, then journals every change to it.
  Status OpenJournal(const std::string& path, JournalReplayStats* stats);
  // Returns once every change made so far is on disk; Ok at once without a
  // journal. kUnavailable when the journal cannot write.
  Status MakeDurable();
  // kUnavailable once the journal has failed: a write must then be refused
  // before it changes anything (it could not be acknowledged).
  Status CheckWritable() const;

 private:
  static std::string TableKey(std::string_view vault_id, std::string_view table);
  // The table for `key`, created (if the schema allows it) when `create`;
  // nullptr when it does not exist and `create` is false. The caller holds
  // mutex_ (exclusively when `create`).
  Result<VaultTable*> FindTable(std::string_view vault_id, std::string_view table,
                                const std::string& key, bool create);

  // Replay (JournalVisitor).
  Status OnPut(std::string_view table, const Uuid& id, JournalPut put,
               const std::vector<JournalField>& fields) override;
  Status OnDelete(std::string_view table, const std::vector<Uuid>& ids) override;
  Status OnDeleteAll(std::string_view table) override;
  Status OnReset() override;
  // The table of a journal key "<vaultID>/<table>", created if need be.
  Result<VaultTable*> ReplayTable(std::string_view key);
  // Every answer that depends on stored state waits until what it saw is on
  // disk: a success for what it wrote, a refusal (409: "exists") for the
  // records it was checked against, which may still await the shared sync.
  Status Durable(const Status& status) {
    Status durable = MakeDurable();
    return durable.ok() ? status : durable;
  }

  const VaultSchema* schema_;
  std::unique_ptr<Journal> journal_;  // set once, before serving
  mutable std::shared_mutex mutex_;
  std::map<std::string, std::unique_ptr<VaultTable>, std::less<>> tables_;
};

}  // namespace skyflow::emulator
