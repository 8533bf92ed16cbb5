// VaultSchema: the vaults, tables and columns the emulator was told exist
// (--schema FILE), and which columns hold unique values.
//
// Without a schema the emulator creates vaults, tables and columns on first
// use and no value is unique; with one, a request naming a vault, table or
// column it does not declare is refused, and a unique column refuses a value
// another record holds (the vault's "Unique constraint violation").
//
// File format (JSON; every key shown is required unless marked optional,
// unknown keys are errors, so a typo cannot silently relax a rule):
//   {"vaults": [
//     {"id": "<vaultID>",
//      "tables": [
//        {"name": "<table>",
//         "columns": [{"name": "<column>", "unique": true}]}]}]}
// "unique" is optional (default false). IDs and names are non-empty strings
// without '/' (they appear as URL path segments), distinct within their
// parent. Errors name the file, and the JSON path (vaults[0].tables[1].name)
// or, for malformed JSON, file:line:column.
// Immutable once loaded; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace skyflow::emulator {

struct ColumnSchema {
  std::string name;
  bool unique = false;
};

struct TableSchema {
  std::string name;
  std::vector<ColumnSchema> columns;  // in file order

  const ColumnSchema* FindColumn(std::string_view column) const;
  // "ssn, name": for messages that say what would have been accepted.
  std::string ColumnList() const;
};

class VaultSchema {
 public:
  // `file_name` is only used in messages.
  static Result<VaultSchema> Parse(std::string_view json, std::string_view file_name);
  static Result<VaultSchema> Load(const std::string& path);

  bool HasVault(std::string_view vault_id) const;
  // nullptr when the vault or the table is not declared.
  const TableSchema* FindTable(std::string_view vault_id, std::string_view table) const;

  // Statuses for requests the schema refuses, in the API's words (spec
  // section 3): kNotFound, "Invalid request. ... is invalid".
  static Status UnknownVault(std::string_view vault_id);
  static Status UnknownTable(std::string_view vault_id, std::string_view table);

 private:
  struct Vault {
    std::map<std::string, TableSchema, std::less<>> tables;
  };
  std::map<std::string, Vault, std::less<>> vaults_;
};

}  // namespace skyflow::emulator
