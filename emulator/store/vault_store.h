// VaultStore: every vault table the emulator holds, created on first use.
//
// Tables are keyed "<vaultID>/<table>" (neither part can contain '/': they
// come from URL path segments). The map sits behind a shared_mutex: inserts
// into different tables, or the same one, take it shared, so they only
// contend on the table's own mutex; only creating a table and Reset take it
// exclusively. Reset therefore waits for inserts in flight and never pulls a
// table from under one. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/store/insert_request.h"
#include "emulator/common/random.h"
#include "emulator/store/vault_table.h"
#include "util/status.h"

namespace skyflow::emulator {

struct NamedTableStats {
  std::string name;  // "<vaultID>/<table>"
  TableStats stats;
};

class VaultStore {
 public:
  Status Insert(std::string_view vault_id, std::string_view table, const InsertRequest& request,
                Random* random, InsertResult* result);

  std::optional<StoredRecordCopy> FindByToken(std::string_view vault_id, std::string_view table,
                                              std::string_view column,
                                              std::string_view token) const;

  // Sorted by name.
  std::vector<NamedTableStats> Stats() const;

  // Drops every table.
  void Reset();

 private:
  static std::string TableKey(std::string_view vault_id, std::string_view table);

  mutable std::shared_mutex mutex_;
  std::map<std::string, std::unique_ptr<VaultTable>, std::less<>> tables_;
};

}  // namespace skyflow::emulator
