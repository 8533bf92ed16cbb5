#include "emulator/store/vault_schema.h"

#include <simdjson.h>

#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>

#include "util/json_syntax.h"

namespace skyflow::emulator {
namespace {

namespace dom = simdjson::dom;

// A schema file lists names, not data: anything this large is the wrong file.
constexpr size_t kMaxSchemaBytes = 16 << 20;

// Reads one file strictly: every error names the file and the JSON path of
// what is wrong, and says what was expected there.
class SchemaReader {
 public:
  explicit SchemaReader(std::string_view file_name) : file_name_(file_name) {}

  Status Error(const std::string& path, std::string_view problem) const {
    return Status::InvalidArgument(file_name_ + ": " + (path.empty() ? "the top level" : path) +
                                   " " + std::string(problem));
  }

  // Calls `apply(key, value, path)` for each member; refuses keys not in
  // `allowed`, repeated keys, and missing keys listed in `required`.
  template <typename Apply>
  Status ForEachMember(dom::element value, const std::string& path,
                       std::initializer_list<std::string_view> allowed,
                       std::initializer_list<std::string_view> required, Apply&& apply) const {
    dom::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
      return Error(path, "must be an object");
    std::vector<std::string_view> seen;
    for (const dom::key_value_pair member : object) {
      const std::string_view key = member.key;
      const std::string member_path =
          path.empty() ? std::string(key) : path + "." + std::string(key);
      bool known = false;
      for (const std::string_view name : allowed)
        known = known || name == key;
      if (!known) {
        std::string expected;
        for (const std::string_view name : allowed)
          expected += (expected.empty() ? "\"" : ", \"") + std::string(name) + "\"";
        return Error(member_path, "is not a schema key; expected " + expected);
      }
      for (const std::string_view earlier : seen) {
        if (earlier == key) return Error(member_path, "appears twice");
      }
      seen.push_back(key);
      SKYFLOW_RETURN_IF_ERROR(apply(key, member.value, member_path));
    }
    for (const std::string_view name : required) {
      bool present = false;
      for (const std::string_view key : seen)
        present = present || key == name;
      if (!present) {
        return Error(path, "has no \"" + std::string(name) + "\"");
      }
    }
    return Status::Ok();
  }

  // A non-empty name without '/', as a URL path segment needs.
  Status ReadName(dom::element value, const std::string& path, std::string* out) const {
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS) return Error(path, "must be a string");
    if (text.empty()) return Error(path, "must not be empty");
    if (text.find('/') != std::string_view::npos) {
      return Error(path, "must not contain '/' (it is a segment of the request's URL path)");
    }
    *out = std::string(text);
    return Status::Ok();
  }

  // An object with exactly a name and an array of children, both required
  // ({"id":..,"tables":[..]}, {"name":..,"columns":[..]}): reads the name
  // into `name` and calls `apply_child(element, path)` for each child.
  template <typename ApplyChild>
  Status ReadNamedList(dom::element value, const std::string& path, std::string_view name_key,
                       std::string_view list_key, std::string_view what, std::string* name,
                       ApplyChild&& apply_child) const {
    std::optional<dom::element> list;
    SKYFLOW_RETURN_IF_ERROR(ForEachMember(
        value, path, {name_key, list_key}, {name_key, list_key},
        [&](std::string_view key, dom::element member, const std::string& member_path) -> Status {
          if (key == name_key) return ReadName(member, member_path, name);
          list = member;
          return Status::Ok();
        }));
    return ForEachElement(*list, path + "." + std::string(list_key), what, apply_child);
  }

  template <typename ApplyElement>
  Status ForEachElement(dom::element value, const std::string& path, std::string_view what,
                        ApplyElement&& apply) const {
    dom::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS) {
      return Error(path, "must be an array of " + std::string(what));
    }
    size_t index = 0;
    for (const dom::element element : array) {
      SKYFLOW_RETURN_IF_ERROR(apply(element, path + "[" + std::to_string(index) + "]"));
      ++index;
    }
    return Status::Ok();
  }

 private:
  std::string file_name_;
};

}  // namespace

const ColumnSchema* TableSchema::FindColumn(std::string_view column) const {
  for (const ColumnSchema& declared : columns) {
    if (declared.name == column) return &declared;
  }
  return nullptr;
}

std::string TableSchema::ColumnList() const {
  std::string list;
  for (const ColumnSchema& column : columns)
    list += (list.empty() ? "" : ", ") + column.name;
  return list;
}

Result<VaultSchema> VaultSchema::Parse(std::string_view json, std::string_view file_name) {
  dom::parser parser;
  const simdjson::padded_string padded(json.data(), json.size());
  dom::element root;
  if (const simdjson::error_code error = parser.parse(padded).get(root)) {
    return DescribeJsonFileError(file_name, json,
                                 "expected {\"vaults\":[{\"id\":...,\"tables\":[...]}]}",
                                 simdjson::error_message(error));
  }

  const SchemaReader reader(file_name);
  VaultSchema schema;
  const auto read_column = [&](dom::element element, const std::string& path,
                               TableSchema* table) -> Status {
    ColumnSchema column;
    SKYFLOW_RETURN_IF_ERROR(reader.ForEachMember(
        element, path, {"name", "unique"}, {"name"},
        [&](std::string_view key, dom::element value, const std::string& member_path) -> Status {
          if (key == "name") return reader.ReadName(value, member_path, &column.name);
          if (value.get_bool().get(column.unique) != simdjson::SUCCESS) {
            return reader.Error(member_path, "must be true or false");
          }
          return Status::Ok();
        }));
    if (table->FindColumn(column.name) != nullptr) {
      return reader.Error(path + ".name", "repeats column \"" + column.name + "\" of table \"" +
                                              table->name + "\"");
    }
    table->columns.push_back(std::move(column));
    return Status::Ok();
  };
  const auto read_table = [&](dom::element element, const std::string& path,
                              Vault* vault) -> Status {
    TableSchema table;
    SKYFLOW_RETURN_IF_ERROR(
        reader.ReadNamedList(element, path, "name", "columns", "column objects", &table.name,
                             [&](dom::element column, const std::string& column_path) {
                               return read_column(column, column_path, &table);
                             }));
    if (table.columns.empty()) {
      return reader.Error(path + ".columns", "is empty; a table needs at least one column");
    }
    if (vault->tables.count(table.name) != 0) {
      return reader.Error(path + ".name", "repeats table \"" + table.name + "\" of its vault");
    }
    std::string name = table.name;
    vault->tables.emplace(std::move(name), std::move(table));
    return Status::Ok();
  };
  const auto read_vault = [&](dom::element element, const std::string& path) -> Status {
    std::string id;
    Vault vault;
    SKYFLOW_RETURN_IF_ERROR(
        reader.ReadNamedList(element, path, "id", "tables", "table objects", &id,
                             [&](dom::element table, const std::string& table_path) {
                               return read_table(table, table_path, &vault);
                             }));
    if (schema.vaults_.count(id) != 0) {
      return reader.Error(path + ".id", "repeats vault \"" + id + "\"");
    }
    schema.vaults_.emplace(std::move(id), std::move(vault));
    return Status::Ok();
  };
  SKYFLOW_RETURN_IF_ERROR(
      reader.ForEachMember(root, "", {"vaults"}, {"vaults"},
                           [&](std::string_view, dom::element value, const std::string& path) {
                             return reader.ForEachElement(value, path, "vault objects", read_vault);
                           }));
  if (schema.vaults_.empty()) {
    return reader.Error("vaults", "is empty; declare at least one vault");
  }
  return schema;
}

Result<VaultSchema> VaultSchema::Load(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::IoError("--schema " + path + ": cannot open the file");
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return Status::IoError("--schema " + path + ": read error");
  const std::string json = std::move(text).str();
  if (json.size() > kMaxSchemaBytes) {
    return Status::InvalidArgument("--schema " + path +
                                   ": larger than 16 MiB; is it the right file?");
  }
  return Parse(json, path);
}

bool VaultSchema::HasVault(std::string_view vault_id) const {
  return vaults_.find(vault_id) != vaults_.end();
}

const TableSchema* VaultSchema::FindTable(std::string_view vault_id, std::string_view table) const {
  const auto vault = vaults_.find(vault_id);
  if (vault == vaults_.end()) return nullptr;
  const auto found = vault->second.tables.find(table);
  return found == vault->second.tables.end() ? nullptr : &found->second;
}

Status VaultSchema::UnknownVault(std::string_view vault_id) {
  return Status::NotFound("Invalid request. Vault ID " + std::string(vault_id) +
                          " is invalid: no such vault is declared in the emulator's schema "
                          "(--schema). Check the vault ID in the URL");
}

Status VaultSchema::UnknownTable(std::string_view vault_id, std::string_view table) {
  return Status::NotFound("Invalid request. Table name " + std::string(table) +
                          " is invalid: vault " + std::string(vault_id) +
                          " has no such table in the emulator's schema (--schema). Check the "
                          "table name");
}

}  // namespace skyflow::emulator
