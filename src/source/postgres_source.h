// PostgresSource: one vault's records from a SQL query on PostgreSQL.
//
// The query is any one SQL statement returning exactly two columns, the
// value and then the token (config: skyflow.vaults[i].query). Its rows are
// streamed through a server-side cursor (postgres/pg_cursor.h) in a
// read-only transaction: each Next() is one FETCH of at most max_rows rows,
// so memory holds one chunk whatever the result's size. Fields are read as
// text in UTF-8 (a DATE as YYYY-MM-DD, the server's ISO style).
//
// Classification, row n (1-based, in the order the server returns rows)
// taking sequence n - 1:
//   - a NULL value and/or token is rejected ("NULL value", "NULL token",
//     "NULL value and token");
//   - otherwise RecordContentProblem (source/record_checks.h): an empty value
//     or token, text that is not UTF-8;
//   - everything else is a Record with origin_line = n.
// Origins read "<label> row:<n>" (OriginLabel() is "<label> row"), for
// rejected rows and for records a vault refuses alike.
//
// Resume: Cursor() is empty and Resume() reads the rows before the resume
// point again and drops them. A query result has no stable position to seek
// to, and its rows come in a stable order only when the query says so: a
// query to be resumed needs an ORDER BY over a unique key (without one, the
// rows skipped may not be those loaded before).
//
// The DSN may hold a password: it never appears in Describe(), Identity()
// or any message (postgres/dsn_redaction.h). Not thread-safe: one thread at
// a time, as for every RecordSource.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "postgres/pg_connection.h"
#include "postgres/pg_cursor.h"
#include "source/record_source.h"
#include "util/status.h"

namespace skyflow {

class PostgresSource final : public RecordSource {
 public:
  // Connects with `dsn` (empty: libpq's PG* environment variables), opens
  // the cursor for `query` and checks that it returns two columns. `label`
  // names the source in messages and origins ("postgres query for NAME").
  // Errors name the label and, for the query's, the query:
  // InvalidArgument for an empty query, SQL the server refuses (syntax,
  // unknown table or column, permission) or a result that is not two
  // columns; Unavailable when the server cannot be reached or refuses the
  // connection.
  static Result<std::unique_ptr<PostgresSource>> Open(const std::string& dsn,
                                                      const std::string& query,
                                                      const std::string& label);

  Status Next(size_t max_rows, SourceChunk* chunk) override;

  // "<label> on user@host:port/database"
  std::string Describe() const override;
  std::string OriginLabel() const override { return label_ + " row"; }
  // The query's text and the connection string without its password.
  std::vector<SourceFact> Identity() const override;
  // Cursor() and SizeHint() keep the defaults: empty (see the header
  // comment) and unknown (a query's size is not known before it ends).

 private:
  PostgresSource(std::unique_ptr<postgres::PgConnection> connection,
                 std::unique_ptr<postgres::PgCursor> cursor, std::string query, std::string label,
                 std::string dsn_without_password);

  // Appends row `row` of `rows` to `chunk` as a record or a rejected row.
  void AddRow(const postgres::PgResult& rows, size_t row, SourceChunk* chunk);

  std::unique_ptr<postgres::PgConnection> connection_;
  std::unique_ptr<postgres::PgCursor> cursor_;
  const std::string query_;
  const std::string label_;
  const std::string dsn_without_password_;
  uint64_t next_sequence_ = 0;
  bool end_of_input_ = false;
  Status error_;
};

}  // namespace skyflow
