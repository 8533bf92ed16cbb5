// How PostgreSQL's columns and values look in a Snowflake jsonv2 result.
//
// Column names: PostgreSQL folds unquoted identifiers to lower case and
// Snowflake to upper case, so a name without upper-case letters (what an
// unquoted identifier gives) is upper-cased; a quoted mixed-case name is kept.
// Types: PostgreSQL's type OID to Snowflake's rowType "type" (int and numeric
// types "fixed", floats "real", "boolean", "date", "time", "timestamp_ntz",
// "timestamp_tz", "binary", everything else "text").
// Values, as Snowflake's jsonv2 writes them: every cell a string; a DATE is
// the number of days since 1970-01-01 (so a query that wants the text must
// cast, as the loader's queries do with TO_VARCHAR), a BOOLEAN "true" or
// "false", BINARY hexadecimal digits; the rest is PostgreSQL's text output
// (connections use DateStyle ISO). Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace skyflow::emulator::sqlapi {

enum class CellConversion { kNone, kBoolean, kDate, kBinary };

struct ColumnType {
  std::string name;
  std::string type;  // "text", "fixed", ...
  CellConversion conversion = CellConversion::kNone;
  std::optional<int64_t> length;  // text and binary
  std::optional<int64_t> precision;
  std::optional<int64_t> scale;
};

std::string SnowflakeColumnName(std::string_view postgres_name);

// `type_modifier` is PQfmod's (-1 when none): NUMERIC(p,s) and VARCHAR(n).
ColumnType ColumnTypeFor(std::string_view postgres_name, uint32_t type_oid, int type_modifier);

// Days from 1970-01-01 to an ISO date "YYYY-MM-DD" (proleptic Gregorian);
// nullopt for anything else (infinity, BC dates), which is then sent as is.
std::optional<int64_t> DaysSinceEpoch(std::string_view iso_date);

// The jsonv2 text of a non-NULL cell.
std::string ConvertCell(CellConversion conversion, std::string_view postgres_text);

}  // namespace skyflow::emulator::sqlapi
