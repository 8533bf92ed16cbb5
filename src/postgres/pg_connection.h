// PgConnection: one libpq connection to PostgreSQL, and PgResult, one
// statement's answer.
//
// Contract:
//   - Open() connects with a libpq connection string (keyword=value pairs or
//     a postgres:// URI); an empty string means libpq's PG* environment
//     variables (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD ...) and
//     ~/.pgpass. The client encoding is always UTF8, so that text comes out
//     as UTF-8 whatever the database's encoding; connect_timeout defaults to
//     30 s and the application name to skyflow-loader (the DSN may set both).
//   - Every error message names the connection by DescribeDsn (no password)
//     and has the DSN's passwords scrubbed (util/redact.h), whatever the
//     server or libpq put in it.
//   - Results are read in text format; a PgResult holds one statement's rows
//     in memory, so statements that may return many rows go through a
//     cursor (pg_cursor.h).
//   - COPY ... FROM STDIN: BeginCopy, then PutCopyData any number of times,
//     then EndCopy (which reports the server's verdict on the data).
// Not thread-safe: one thread uses a connection at a time (libpq's rule).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

// libpq's handles (libpq-fe.h), so that this header does not pull libpq's in.
struct pg_conn;
struct pg_result;

namespace skyflow::postgres {

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(pg_result* result);
  ~PgResult();
  PgResult(PgResult&& other) noexcept;
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  size_t rows() const;
  size_t columns() const;
  std::string ColumnName(size_t column) const;
  bool IsNull(size_t row, size_t column) const;
  // The field's text; empty for NULL (tell the two apart with IsNull).
  // Valid while this PgResult lives.
  std::string_view Value(size_t row, size_t column) const;

 private:
  friend class PgConnection;
  pg_result* result_ = nullptr;
};

class PgConnection {
 public:
  // Connects. InvalidArgument for a connection string libpq cannot parse;
  // Unavailable when the server cannot be reached or refuses the
  // connection (wrong password, unknown database), with libpq's reason.
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& dsn);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs `sql` (one or more statements separated by ';') and discards any
  // rows. The error names nothing but the server's reason: callers add
  // which statement failed.
  Status Execute(const std::string& sql);
  // Runs one statement and returns its rows.
  Result<PgResult> Query(const std::string& sql);
  // The columns an open cursor returns (its rows are fetched with Query).
  Result<PgResult> DescribeCursor(const std::string& cursor_name);

  // COPY ... FROM STDIN.
  Status BeginCopy(const std::string& copy_sql);
  Status PutCopyData(std::string_view data);
  Status EndCopy();

  // "user@host:port/database" as connected: for descriptions and summaries.
  std::string Describe() const;
  // How the connection string is shown (DescribeDsn): no password.
  const std::string& dsn_description() const { return dsn_description_; }

 private:
  PgConnection(pg_conn* connection, std::string dsn_description, std::vector<std::string> secrets);
  // The server's or libpq's reason for a failed statement (`result` may be
  // null), one line, passwords scrubbed.
  std::string ErrorText(const pg_result* result) const;
  Status Failed(const pg_result* result) const;

  pg_conn* connection_;
  std::string dsn_description_;
  std::vector<std::string> secrets_;  // the DSN's passwords, scrubbed from messages
};

}  // namespace skyflow::postgres
