#include "source/snowflake_query.h"

#include <algorithm>
#include <string_view>

#include "util/ascii.h"

namespace skyflow {
namespace {

bool IsIdentifierPart(std::string_view part) {
  if (part.empty()) return false;
  const char first = part.front();
  if (!(AsciiIsAlpha(first) || first == '_')) return false;
  return std::all_of(part.begin(), part.end(),
                     [](char c) { return AsciiIsAlnum(c) || c == '_' || c == '$'; });
}

// `name` as one identifier, or as dot-separated identifiers when `dotted`.
Status CheckName(std::string_view name, bool dotted, const std::string& setting) {
  size_t start = 0;
  while (true) {
    const size_t dot = dotted ? name.find('.', start) : std::string_view::npos;
    const std::string_view part =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!IsIdentifierPart(part)) {
      return Status::InvalidArgument(
          setting + " \"" + std::string(name) +
          "\" is not a plain SQL identifier (letters, digits, _ and $" +
          (dotted ? ", parts separated by dots" : "") +
          "); fix it, or give the vault its own \"query\" in config.json");
    }
    if (dot == std::string_view::npos) return Status::Ok();
    start = dot + 1;
  }
}

// -sf-table and friends: a name without a dot lives in database.schema.
std::string Qualified(const SnowflakeConfig& snowflake, const std::string& table) {
  if (table.find('.') != std::string::npos) return table;
  return snowflake.database + "." + snowflake.schema + "." + table;
}

std::string VaultSetting(const VaultConfig& vault, const std::string& key) {
  return "vault " + vault.name + ": snowflake." + key;
}

Result<std::string> SimpleQuery(const SnowflakeConfig& snowflake, const VaultConfig& vault) {
  const SnowflakeVaultColumns& columns = vault.snowflake;
  SKYFLOW_RETURN_IF_ERROR(CheckName(snowflake.table, true, "-sf-table (snowflake.table)"));
  SKYFLOW_RETURN_IF_ERROR(
      CheckName(columns.value_column, false, VaultSetting(vault, "value_column")));
  SKYFLOW_RETURN_IF_ERROR(
      CheckName(columns.token_column, false, VaultSetting(vault, "token_column")));
  const std::string& value =
      columns.value_expression.empty() ? columns.value_column : columns.value_expression;
  return "SELECT DISTINCT " + value + " AS " + columns.value_column + ", " + columns.token_column +
         "\nFROM " + Qualified(snowflake, snowflake.table) + "\nWHERE " + columns.value_column +
         " IS NOT NULL AND " + columns.token_column + " IS NOT NULL";
}

// union (tokens from the UDF) and generic (tokens from <column>_TOKEN).
Result<std::string> UnionQuery(const SnowflakeConfig& snowflake, const VaultConfig& vault,
                               bool tokens_from_udf) {
  const SnowflakeVaultColumns& columns = vault.snowflake;
  const std::string mode = tokens_from_udf ? "union" : "generic";
  for (const auto& [value, key] : {std::pair{&columns.clm_column, "clm_column"},
                                   std::pair{&columns.mbr_column, "mbr_column"}}) {
    if (value->empty()) {
      return Status::InvalidArgument(VaultSetting(vault, key) + " is not set: -sf-query-mode " +
                                     mode +
                                     " needs the vault's column in the CLM and MBR "
                                     "tables (or give the vault its own \"query\")");
    }
    SKYFLOW_RETURN_IF_ERROR(CheckName(*value, false, VaultSetting(vault, key)));
  }
  SKYFLOW_RETURN_IF_ERROR(CheckName(snowflake.database, false, "-sf-database"));
  SKYFLOW_RETURN_IF_ERROR(CheckName(snowflake.schema, false, "-sf-schema"));
  SKYFLOW_RETURN_IF_ERROR(
      CheckName(snowflake.clm_table, true, "-sf-clm-table (snowflake.clm_table)"));
  SKYFLOW_RETURN_IF_ERROR(
      CheckName(snowflake.mbr_table, true, "-sf-mbr-table (snowflake.mbr_table)"));
  const std::string& clm = columns.clm_column;
  const std::string& mbr = columns.mbr_column;
  const std::string clm_table = Qualified(snowflake, snowflake.clm_table);
  const std::string mbr_table = Qualified(snowflake, snowflake.mbr_table);
  if (tokens_from_udf) {
    if (columns.detok_udf.empty()) {
      return Status::InvalidArgument(VaultSetting(vault, "detok_udf") +
                                     " is not set: -sf-query-mode union reads tokens through "
                                     "a UDF (or use -sf-query-mode generic)");
    }
    SKYFLOW_RETURN_IF_ERROR(CheckName(columns.detok_udf, false, VaultSetting(vault, "detok_udf")));
    const std::string& udf_database =
        snowflake.udf_database.empty() ? snowflake.database : snowflake.udf_database;
    const std::string& udf_schema =
        snowflake.udf_schema.empty() ? snowflake.schema : snowflake.udf_schema;
    SKYFLOW_RETURN_IF_ERROR(CheckName(udf_database, false, "snowflake.udf_database"));
    SKYFLOW_RETURN_IF_ERROR(CheckName(udf_schema, false, "snowflake.udf_schema"));
    return "SELECT " + mbr + ", " + udf_database + "." + udf_schema + "." + columns.detok_udf +
           "(" + mbr + ") AS " + columns.token_column + "\nFROM (\n  SELECT " + clm + " AS " + mbr +
           " FROM " + clm_table + " GROUP BY 1\n  UNION\n  SELECT " + mbr + " FROM " + mbr_table +
           " GROUP BY 1\n) DT\nGROUP BY 1, 2";
  }
  return "SELECT " + mbr + ", " + mbr + "_TOKEN\nFROM (\n  SELECT " + clm + " AS " + mbr + ", " +
         clm + "_TOKEN AS " + mbr + "_TOKEN FROM " + clm_table +
         " GROUP BY 1, 2\n  UNION\n  SELECT " + mbr + ", " + mbr + "_TOKEN FROM " + mbr_table +
         " GROUP BY 1, 2\n) DT";
}

// A custom query as a subquery: without a statement's trailing semicolon.
std::string AsSubquery(std::string_view query) {
  while (!query.empty() && (AsciiIsSpace(query.back()) || query.back() == ';')) {
    query.remove_suffix(1);
  }
  return std::string(query);
}

}  // namespace

Result<std::string> BuildVaultQuery(const SnowflakeConfig& snowflake, const VaultConfig& vault,
                                    const RowWindow& window) {
  if (window.end_record > 0 && window.end_record <= window.start_record) {
    return Status::InvalidArgument(
        "-end-record " + std::to_string(window.end_record) + " is not after -start-record " +
        std::to_string(window.start_record) + ": the window holds no rows");
  }
  if (window.start_record < 0 || window.end_record < 0 || window.max_records < 0) {
    return Status::InvalidArgument(
        "-start-record, -end-record and -max-records cannot be negative");
  }
  std::string query;
  bool custom = false;
  if (!vault.query.empty()) {
    query = AsSubquery(vault.query);
    custom = true;
  } else if (EqualsIgnoreCase(snowflake.query_mode, "simple")) {
    Result<std::string> simple = SimpleQuery(snowflake, vault);
    if (!simple.ok()) return simple.status();
    query = *simple;
  } else if (EqualsIgnoreCase(snowflake.query_mode, "union") ||
             EqualsIgnoreCase(snowflake.query_mode, "generic")) {
    Result<std::string> unioned =
        UnionQuery(snowflake, vault, EqualsIgnoreCase(snowflake.query_mode, "union"));
    if (!unioned.ok()) return unioned.status();
    query = *unioned;
  } else {
    return Status::InvalidArgument("-sf-query-mode \"" + snowflake.query_mode +
                                   "\" is not a query mode: use simple, union or generic, or "
                                   "give each vault its own \"query\" in config.json");
  }

  const bool chunked = window.start_record > 0 || window.end_record > 0;
  int64_t limit = window.max_records;
  if (window.end_record > 0) {
    const int64_t span = window.end_record - window.start_record;
    limit = limit == 0 ? span : std::min(limit, span);
  }
  if (limit == 0 && !chunked) return query;
  std::string tail;
  if (chunked) tail += "\nORDER BY 1, 2";
  // LIMIT NULL means no limit in both Snowflake and PostgreSQL.
  tail += "\nLIMIT " + (limit > 0 ? std::to_string(limit) : std::string("NULL"));
  if (window.start_record > 0) tail += " OFFSET " + std::to_string(window.start_record);
  if (custom) return "SELECT * FROM (\n" + query + "\n) AS vault_rows" + tail;
  return query + tail;
}

}  // namespace skyflow
