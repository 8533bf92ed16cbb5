#include "source/mock_postgres_tables.h"

#include <array>
#include <functional>
#include <memory>

#include "postgres/copy_text.h"
#include "postgres/dsn_redaction.h"
#include "postgres/pg_connection.h"
#include "source/mock_data_generator.h"
#include "util/ascii.h"

namespace skyflow {
namespace {

// COPY data goes to the server in pieces of about this size.
constexpr size_t kCopyFlushBytes = size_t{1} << 20;
// PostgreSQL's NAMEDATALEN - 1.
constexpr size_t kMaxIdentifierBytes = 63;

// The four vaults in the order of their ordinals and of the tables' columns.
constexpr std::array<MockValueKind, 4> kKinds = {MockValueKind::kName, MockValueKind::kId,
                                                 MockValueKind::kDob, MockValueKind::kSsn};

struct TableShape {
  const char* name;
  // Value and token column names for NAME, ID, DOB, SSN.
  std::array<const char*, 8> columns;
  const char* dob_type;
  // Whether generated row i belongs in the table.
  bool (*holds)(uint64_t row);
  // Whether the value columns get an index: union mode's UDFs look values
  // up in clm and mbr once per row.
  bool indexed;
};

const std::array<TableShape, 3> kTables = {{
    {"patients",
     {"full_name", "full_name_token", "id", "id_token", "dob", "dob_token", "ssn", "ssn_token"},
     "date",
     [](uint64_t) { return true; },
     false},
    {"clm",
     {"src_mbr_nm", "src_mbr_nm_token", "src_mbr_id", "src_mbr_id_token", "src_mbr_birth_dt",
      "src_mbr_birth_dt_token", "src_mbr_ssn", "src_mbr_ssn_token"},
     "text",
     [](uint64_t row) { return row % 3 != 2; },
     true},
    {"mbr",
     {"mbr_nm", "mbr_nm_token", "mbr_id", "mbr_id_token", "birth_dt", "birth_dt_token", "ssn",
      "ssn_token"},
     "text",
     [](uint64_t row) { return row % 3 != 1; },
     true},
}};

bool IsPlainIdentifier(std::string_view name) {
  const auto letter = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  };
  if (name.empty() || name.size() > kMaxIdentifierBytes || !letter(name[0])) return false;
  for (const char c : name) {
    if (!letter(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string CreateTableSql(const std::string& qualified, const TableShape& table) {
  std::string sql = "CREATE TABLE " + qualified + " (";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += table.columns[i];
    sql += i == 4 ? std::string(" ") + table.dob_type : std::string(" text");
  }
  return sql + ")";
}

// COPYs the rows of `table` and returns how many went in.
Result<uint64_t> CopyTable(postgres::PgConnection* connection, const std::string& qualified,
                           const TableShape& table,
                           const std::vector<std::unique_ptr<MockVaultData>>& vaults,
                           uint64_t count) {
  SKYFLOW_RETURN_IF_ERROR(connection->BeginCopy("COPY " + qualified + " FROM STDIN"));
  std::string buffer;
  std::array<std::string, 8> fields;
  uint64_t rows = 0;
  for (uint64_t row = 0; row < count; ++row) {
    if (!table.holds(row)) continue;
    for (size_t vault = 0; vault < vaults.size(); ++vault) {
      fields[2 * vault].clear();
      fields[2 * vault + 1].clear();
      vaults[vault]->AppendValue(row, &fields[2 * vault]);
      vaults[vault]->AppendToken(row, &fields[2 * vault + 1]);
    }
    postgres::AppendCopyRow(
        {fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6], fields[7]},
        &buffer);
    ++rows;
    if (buffer.size() >= kCopyFlushBytes) {
      SKYFLOW_RETURN_IF_ERROR(connection->PutCopyData(buffer));
      buffer.clear();
    }
  }
  if (!buffer.empty()) SKYFLOW_RETURN_IF_ERROR(connection->PutCopyData(buffer));
  SKYFLOW_RETURN_IF_ERROR(connection->EndCopy());
  return rows;
}

Status WithContext(const Status& status, const std::string& what) {
  return Status(status.code(), what + ": " + status.message());
}

}  // namespace

Result<MockTablesReport> GenerateMockTables(const std::string& target, const std::string& schema,
                                            uint64_t count, uint64_t seed) {
  if (!target.starts_with("postgres://") && !target.starts_with("postgresql://")) {
    return Status::InvalidArgument(
        "-target must be a PostgreSQL URL, postgres://user@host:port/database (without "
        "-target, -generate writes CSV files into -data-dir)");
  }
  if (!IsPlainIdentifier(schema)) {
    return Status::InvalidArgument("-target-schema \"" + schema +
                                   "\" is not a plain SQL name: use letters, digits and _ "
                                   "(not first), at most 63 of them");
  }
  if (count > MockVaultData::kMaxDobDates) {
    return Status::InvalidArgument(
        "-generate " + std::to_string(count) + " with -target: at most " +
        std::to_string(MockVaultData::kMaxDobDates) +
        " rows, the number of dates from 1900-01-01 to 9999-12-31 (the dob column is a DATE and "
        "larger data sets stop being dates); generate CSV files for more");
  }
  Result<std::string> shown = postgres::DsnWithoutPassword(target);
  if (!shown.ok()) return shown.status();

  Result<std::unique_ptr<postgres::PgConnection>> connection = postgres::PgConnection::Open(target);
  if (!connection.ok()) return connection.status();
  postgres::PgConnection* pg = connection->get();

  std::vector<std::unique_ptr<MockVaultData>> vaults;
  for (size_t ordinal = 0; ordinal < kKinds.size(); ++ordinal) {
    vaults.push_back(std::make_unique<MockVaultData>(kKinds[ordinal], count, seed, ordinal));
  }
  const std::string lower_schema = AsciiLowered(schema);
  MockTablesReport report;
  report.target = *shown;
  std::string setup =
      "BEGIN; CREATE SCHEMA IF NOT EXISTS " + lower_schema + "; DROP TABLE IF EXISTS ";
  for (size_t i = 0; i < kTables.size(); ++i) {
    setup += (i > 0 ? ", " : "") + lower_schema + "." + kTables[i].name;
  }
  setup += ";";
  for (const TableShape& table : kTables) {
    setup += CreateTableSql(lower_schema + "." + table.name, table) + ";";
  }
  if (Status status = pg->Execute(setup); !status.ok()) {
    return WithContext(status, "creating the tables in schema " + lower_schema + " failed");
  }
  std::string analyze = "ANALYZE ";
  for (const TableShape& table : kTables) {
    const std::string qualified = lower_schema + "." + table.name;
    Result<uint64_t> rows = CopyTable(pg, qualified, table, vaults, count);
    if (!rows.ok()) return WithContext(rows.status(), "filling " + qualified + " failed");
    report.tables.push_back({qualified, *rows});
    analyze += (analyze.size() > 8 ? ", " : "") + qualified;
  }
  std::string indexes;
  for (const TableShape& table : kTables) {
    if (!table.indexed) continue;
    for (size_t i = 0; i < table.columns.size(); i += 2) {
      indexes += std::string("CREATE INDEX ON ") + lower_schema + "." + table.name + " (" +
                 table.columns[i] + ");";
    }
  }
  if (Status status = pg->Execute(indexes + analyze + "; COMMIT"); !status.ok()) {
    return WithContext(status, "committing the tables failed");
  }
  return report;
}

}  // namespace skyflow
