#include "postgres/pg_cursor.h"

#include <algorithm>

namespace skyflow::postgres {
namespace {

// One cursor per connection, so a fixed name is enough.
constexpr char kCursorName[] = "skyflow_rows";

}  // namespace

std::string WithoutTrailingSemicolons(std::string sql) {
  while (!sql.empty() && (sql.back() == ';' || sql.back() == ' ' || sql.back() == '\t' ||
                          sql.back() == '\n' || sql.back() == '\r')) {
    sql.pop_back();
  }
  return sql;
}

Result<std::unique_ptr<PgCursor>> PgCursor::Open(PgConnection* connection, const std::string& sql) {
  const std::string query = WithoutTrailingSemicolons(sql);
  if (query.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::InvalidArgument("the query is empty");
  }
  SKYFLOW_RETURN_IF_ERROR(connection->Execute("BEGIN READ ONLY"));
  SKYFLOW_RETURN_IF_ERROR(connection->Execute(std::string("DECLARE ") + kCursorName +
                                              " NO SCROLL CURSOR FOR " + query));
  Result<PgResult> description = connection->DescribeCursor(kCursorName);
  if (!description.ok()) return description.status();
  std::vector<std::string> names;
  for (size_t i = 0; i < description->columns(); ++i)
    names.push_back(description->ColumnName(i));
  return std::unique_ptr<PgCursor>(new PgCursor(connection, std::move(names)));
}

Result<PgResult> PgCursor::Fetch(size_t max_rows) {
  return connection_->Query("FETCH FORWARD " + std::to_string(std::max<size_t>(max_rows, 1)) +
                            " FROM " + kCursorName);
}

Status PgCursor::Close() {
  return connection_->Execute(std::string("CLOSE ") + kCursorName + "; COMMIT");
}

}  // namespace skyflow::postgres
