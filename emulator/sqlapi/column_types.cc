#include "emulator/sqlapi/column_types.h"

#include <charconv>

namespace skyflow::emulator::sqlapi {
namespace {

// PostgreSQL's built-in type OIDs (pg_type.dat); stable across versions.
enum : uint32_t {
  kBoolOid = 16,
  kByteaOid = 17,
  kInt8Oid = 20,
  kInt2Oid = 21,
  kInt4Oid = 23,
  kOidOid = 26,
  kFloat4Oid = 700,
  kFloat8Oid = 701,
  kBpcharOid = 1042,
  kVarcharOid = 1043,
  kDateOid = 1082,
  kTimeOid = 1083,
  kTimestampOid = 1114,
  kTimestamptzOid = 1184,
  kNumericOid = 1700,
};

// Snowflake's length of an unbounded VARCHAR and BINARY.
constexpr int64_t kMaxTextLength = 16777216;
constexpr int64_t kMaxBinaryLength = 8388608;
constexpr int kVarHeaderSize = 4;  // PostgreSQL's VARHDRSZ, inside type modifiers

bool ParseDigits(std::string_view text, int64_t* value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size() &&
         text.front() != '-' && text.front() != '+';
}

}  // namespace

std::string SnowflakeColumnName(std::string_view postgres_name) {
  std::string name(postgres_name);
  for (const char c : name) {
    if (c >= 'A' && c <= 'Z') return name;  // quoted mixed case: kept
  }
  for (char& c : name) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return name;
}

ColumnType ColumnTypeFor(std::string_view postgres_name, uint32_t type_oid, int type_modifier) {
  ColumnType column;
  column.name = SnowflakeColumnName(postgres_name);
  switch (type_oid) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid:
      column.type = "fixed";
      column.precision = 38;
      column.scale = 0;
      break;
    case kNumericOid:
      column.type = "fixed";
      column.precision = 38;
      if (type_modifier >= kVarHeaderSize) {
        column.precision = ((type_modifier - kVarHeaderSize) >> 16) & 0xFFFF;
        column.scale = (type_modifier - kVarHeaderSize) & 0xFFFF;
      }
      break;
    case kFloat4Oid:
    case kFloat8Oid:
      column.type = "real";
      break;
    case kBoolOid:
      column.type = "boolean";
      column.conversion = CellConversion::kBoolean;
      break;
    case kDateOid:
      column.type = "date";
      column.conversion = CellConversion::kDate;
      break;
    case kTimeOid:
      column.type = "time";
      column.scale = 9;
      break;
    case kTimestampOid:
      column.type = "timestamp_ntz";
      column.scale = 9;
      break;
    case kTimestamptzOid:
      column.type = "timestamp_tz";
      column.scale = 9;
      break;
    case kByteaOid:
      column.type = "binary";
      column.conversion = CellConversion::kBinary;
      column.length = kMaxBinaryLength;
      break;
    case kVarcharOid:
    case kBpcharOid:
      column.type = "text";
      column.length =
          type_modifier >= kVarHeaderSize ? type_modifier - kVarHeaderSize : kMaxTextLength;
      break;
    default:
      column.type = "text";
      column.length = kMaxTextLength;
      break;
  }
  return column;
}

std::optional<int64_t> DaysSinceEpoch(std::string_view iso_date) {
  if (iso_date.size() != 10 || iso_date[4] != '-' || iso_date[7] != '-') return std::nullopt;
  int64_t year = 0;
  int64_t month = 0;
  int64_t day = 0;
  if (!ParseDigits(iso_date.substr(0, 4), &year) || !ParseDigits(iso_date.substr(5, 2), &month) ||
      !ParseDigits(iso_date.substr(8, 2), &day) || month < 1 || month > 12 || day < 1 || day > 31) {
    return std::nullopt;
  }
  // Howard Hinnant's days_from_civil: March-based years make February last.
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

std::string ConvertCell(CellConversion conversion, std::string_view postgres_text) {
  switch (conversion) {
    case CellConversion::kBoolean:
      if (postgres_text == "t") return "true";
      if (postgres_text == "f") return "false";
      break;
    case CellConversion::kDate:
      if (const std::optional<int64_t> days = DaysSinceEpoch(postgres_text)) {
        return std::to_string(*days);
      }
      break;
    case CellConversion::kBinary:
      // PostgreSQL's hex output ("\x0aff"); Snowflake's is the digits alone.
      if (postgres_text.substr(0, 2) == "\\x") return std::string(postgres_text.substr(2));
      break;
    case CellConversion::kNone:
      break;
  }
  return std::string(postgres_text);
}

}  // namespace skyflow::emulator::sqlapi
