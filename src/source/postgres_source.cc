#include "source/postgres_source.h"

#include <utility>

#include "postgres/dsn_redaction.h"
#include "source/record_checks.h"
#include "util/utf8.h"

namespace skyflow {
namespace {

// Queries are quoted in messages up to this length: enough to recognise
// one, not a screenful.
constexpr size_t kMaxQueryShown = 300;

std::string QuotedQuery(const std::string& query) {
  const std::string trimmed = postgres::WithoutTrailingSemicolons(query);
  if (trimmed.size() <= kMaxQueryShown) return "\"" + trimmed + "\"";
  return "\"" + trimmed.substr(0, Utf8CutPoint(trimmed, kMaxQueryShown)) + "...\"";
}

std::string ColumnList(const std::vector<std::string>& names) {
  std::string list;
  for (const std::string& name : names) {
    if (!list.empty()) list += ", ";
    list += name;
  }
  return list;
}

}  // namespace

Result<std::unique_ptr<PostgresSource>> PostgresSource::Open(const std::string& dsn,
                                                             const std::string& query,
                                                             const std::string& label) {
  Result<std::string> dsn_without_password = postgres::DsnWithoutPassword(dsn);
  if (!dsn_without_password.ok()) return dsn_without_password.status();
  Result<std::unique_ptr<postgres::PgConnection>> connection = postgres::PgConnection::Open(dsn);
  if (!connection.ok()) return connection.status();
  Result<std::unique_ptr<postgres::PgCursor>> cursor =
      postgres::PgCursor::Open(connection->get(), query);
  if (!cursor.ok()) {
    return Status(cursor.status().code(), label + ": PostgreSQL cannot run the query " +
                                              QuotedQuery(query) + ": " +
                                              cursor.status().message());
  }
  const std::vector<std::string>& columns = (*cursor)->column_names();
  if (columns.size() != 2) {
    return Status::InvalidArgument(
        label + ": the query " + QuotedQuery(query) + " returns " + std::to_string(columns.size()) +
        (columns.size() == 1 ? " column" : " columns") +
        (columns.empty() ? "" : " (" + ColumnList(columns) + ")") +
        "; it must return exactly two: the value, then the token (SELECT value_column, "
        "token_column FROM ...)");
  }
  return std::unique_ptr<PostgresSource>(
      new PostgresSource(std::move(connection).value(), std::move(cursor).value(), query, label,
                         std::move(dsn_without_password).value()));
}

PostgresSource::PostgresSource(std::unique_ptr<postgres::PgConnection> connection,
                               std::unique_ptr<postgres::PgCursor> cursor, std::string query,
                               std::string label, std::string dsn_without_password)
    : connection_(std::move(connection)),
      cursor_(std::move(cursor)),
      query_(std::move(query)),
      label_(std::move(label)),
      dsn_without_password_(std::move(dsn_without_password)) {}

std::string PostgresSource::Describe() const {
  return label_ + " on " + connection_->Describe();
}

std::vector<SourceFact> PostgresSource::Identity() const {
  return {{"query", query_}, {"connection", dsn_without_password_}};
}

Status PostgresSource::Next(size_t max_rows, SourceChunk* chunk) {
  if (!error_.ok()) return error_;
  if (end_of_input_ || max_rows == 0) {
    chunk->end_of_input = end_of_input_;
    return Status::Ok();
  }
  Result<postgres::PgResult> rows = cursor_->Fetch(max_rows);
  if (!rows.ok()) {
    error_ =
        Status(rows.status().code(),
               label_ + ": reading the rows of the query " + QuotedQuery(query_) + " after row " +
                   std::to_string(next_sequence_) + " failed: " + rows.status().message());
    return error_;
  }
  for (size_t row = 0; row < rows->rows(); ++row)
    AddRow(*rows, row, chunk);
  if (rows->rows() < max_rows) {
    end_of_input_ = true;
    // The transaction only read; ending it frees the server's snapshot now
    // rather than when the load ends.
    if (Status closed = cursor_->Close(); !closed.ok()) {
      error_ = Status(closed.code(),
                      label_ + ": closing the query's cursor failed: " + closed.message());
      return chunk->rows() > 0 ? Status::Ok() : error_;
    }
  }
  chunk->end_of_input = end_of_input_;
  return Status::Ok();
}

void PostgresSource::AddRow(const postgres::PgResult& rows, size_t row, SourceChunk* chunk) {
  const uint64_t sequence = next_sequence_++;
  const uint64_t row_number = sequence + 1;
  std::string value(rows.Value(row, 0));
  std::string token(rows.Value(row, 1));
  std::string reason = SqlRowProblem(
      rows.IsNull(row, 0) ? std::nullopt : std::optional<std::string_view>(value),
      rows.IsNull(row, 1) ? std::nullopt : std::optional<std::string_view>(token));
  if (!reason.empty()) {
    chunk->rejected.push_back(RejectedRow{sequence, FormatOrigin(OriginLabel(), row_number),
                                          std::move(reason), std::move(value), std::move(token)});
    return;
  }
  Record record;
  record.sequence = sequence;
  record.origin_line = row_number;
  record.value = std::move(value);
  record.token = std::move(token);
  chunk->records.push_back(std::move(record));
}

}  // namespace skyflow
