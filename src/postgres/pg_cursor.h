// PgCursor: a query's rows streamed through a server-side cursor, one fetch
// at a time, so that memory holds at most one fetch whatever the result's
// size.
//
// Open() runs "BEGIN READ ONLY" (the loader never changes what it reads; a
// query that tries fails) and "DECLARE <name> NO SCROLL CURSOR FOR <sql>",
// which parses and plans the query without running it to the end, then
// describes the cursor's columns. Fetch(n) runs "FETCH FORWARD n": fewer
// than n rows means the result is exhausted. Close() closes the cursor and
// ends the transaction; the destructor leaves that to the connection's end.
//
// The SQL is the caller's, any one statement that returns rows; a trailing
// ';' is dropped (DECLARE takes the query without it). Not thread-safe; the
// connection must outlive the cursor and run nothing else meanwhile.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "postgres/pg_connection.h"
#include "util/status.h"

namespace skyflow::postgres {

class PgCursor {
 public:
  // The query's errors (syntax, unknown table or column, permission) come
  // from here, with the server's reason: InvalidArgument for mistakes in the
  // SQL (SQLSTATE classes 42 and 0A), Unavailable otherwise.
  static Result<std::unique_ptr<PgCursor>> Open(PgConnection* connection, const std::string& sql);

  const std::vector<std::string>& column_names() const { return column_names_; }

  // The next `max_rows` rows (at least 1 is asked for).
  Result<PgResult> Fetch(size_t max_rows);

  // CLOSE and COMMIT.
  Status Close();

 private:
  PgCursor(PgConnection* connection, std::vector<std::string> column_names)
      : connection_(connection), column_names_(std::move(column_names)) {}

  PgConnection* connection_;
  std::vector<std::string> column_names_;
};

// `sql` without trailing white space and semicolons.
std::string WithoutTrailingSemicolons(std::string sql);

}  // namespace skyflow::postgres
