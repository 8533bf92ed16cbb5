#include "postgres/pg_connection.h"

#include <libpq-fe.h>

#include <utility>

#include "postgres/dsn_redaction.h"
#include "util/redact.h"

namespace skyflow::postgres {
namespace {

// libpq's messages end with a newline and may span lines ("LINE 1: ..."):
// one line reads better inside the loader's own messages.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  const size_t end = text.find_last_not_of(' ');
  text.erase(end == std::string::npos ? 0 : end + 1);
  return text;
}

// SQLSTATE class 42 (syntax error or access rule violation) and 0A (feature
// not supported) are mistakes in the SQL or its grants: the user's to fix,
// reported as usage errors. Everything else may pass.
StatusCode CodeForSqlState(const char* state) {
  if (state != nullptr &&
      (std::string_view(state).starts_with("42") || std::string_view(state).starts_with("0A"))) {
    return StatusCode::kInvalidArgument;
  }
  return StatusCode::kUnavailable;
}

}  // namespace

PgResult::PgResult(pg_result* result) : result_(result) {}

PgResult::~PgResult() {
  if (result_ != nullptr) PQclear(result_);
}

PgResult::PgResult(PgResult&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    if (result_ != nullptr) PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}

size_t PgResult::rows() const {
  return result_ == nullptr ? 0 : static_cast<size_t>(PQntuples(result_));
}

size_t PgResult::columns() const {
  return result_ == nullptr ? 0 : static_cast<size_t>(PQnfields(result_));
}

std::string PgResult::ColumnName(size_t column) const {
  const char* name = PQfname(result_, static_cast<int>(column));
  return name == nullptr ? std::string() : std::string(name);
}

bool PgResult::IsNull(size_t row, size_t column) const {
  return PQgetisnull(result_, static_cast<int>(row), static_cast<int>(column)) != 0;
}

std::string_view PgResult::Value(size_t row, size_t column) const {
  const int r = static_cast<int>(row);
  const int c = static_cast<int>(column);
  return std::string_view(PQgetvalue(result_, r, c),
                          static_cast<size_t>(PQgetlength(result_, r, c)));
}

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& dsn) {
  // Parsing first: a malformed string is a usage error with advice, and
  // nothing of it reaches libpq's messages.
  Result<std::string> redacted = DsnWithoutPassword(dsn);
  if (!redacted.ok()) return redacted.status();
  std::string description = DescribeDsn(dsn);
  std::vector<std::string> secrets = DsnPasswords(dsn);

  // Defaults come before dbname, which libpq expands into the DSN's own
  // settings (they win); client_encoding comes after it, so it always holds.
  const char* const keywords[] = {"connect_timeout", "fallback_application_name", "dbname",
                                  "client_encoding", nullptr};
  const char* const values[] = {"30", "skyflow-loader", dsn.c_str(), "UTF8", nullptr};
  pg_conn* connection = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (connection == nullptr) {
    return Status::Unavailable("cannot connect to PostgreSQL with " + description +
                               ": libpq is out of memory");
  }
  if (PQstatus(connection) != CONNECTION_OK) {
    const std::string reason = ScrubSecrets(OneLine(PQerrorMessage(connection)), secrets);
    PQfinish(connection);
    return Status::Unavailable("cannot connect to PostgreSQL with " + description + ": " + reason);
  }
  return std::unique_ptr<PgConnection>(
      new PgConnection(connection, std::move(description), std::move(secrets)));
}

PgConnection::PgConnection(pg_conn* connection, std::string dsn_description,
                           std::vector<std::string> secrets)
    : connection_(connection),
      dsn_description_(std::move(dsn_description)),
      secrets_(std::move(secrets)) {}

PgConnection::~PgConnection() {
  PQfinish(connection_);
}

std::string PgConnection::ErrorText(const pg_result* result) const {
  std::string text;
  const char* primary =
      result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  if (primary == nullptr) {
    text = OneLine(PQerrorMessage(connection_));
    if (text.empty()) text = "the server gave no reason";
  } else {
    text = primary;
    for (const auto& [field, label] : {std::pair{PG_DIAG_MESSAGE_DETAIL, "detail: "},
                                       std::pair{PG_DIAG_MESSAGE_HINT, "hint: "}}) {
      if (const char* extra = PQresultErrorField(result, field)) {
        text += std::string("; ") + label + extra;
      }
    }
    if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE)) {
      text += std::string(" (SQLSTATE ") + state + ")";
    }
    text = OneLine(std::move(text));
  }
  return ScrubSecrets(std::move(text), secrets_);
}

Status PgConnection::Failed(const pg_result* result) const {
  const char* state = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
  return Status(CodeForSqlState(state), ErrorText(result));
}

Status PgConnection::Execute(const std::string& sql) {
  PgResult result(PQexec(connection_, sql.c_str()));
  const ExecStatusType status = PQresultStatus(result.result_);
  if (result.result_ == nullptr || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)) {
    return Failed(result.result_);
  }
  return Status::Ok();
}

Result<PgResult> PgConnection::Query(const std::string& sql) {
  PgResult result(PQexec(connection_, sql.c_str()));
  if (result.result_ == nullptr || PQresultStatus(result.result_) != PGRES_TUPLES_OK) {
    return Failed(result.result_);
  }
  return result;
}

Result<PgResult> PgConnection::DescribeCursor(const std::string& cursor_name) {
  PgResult result(PQdescribePortal(connection_, cursor_name.c_str()));
  if (result.result_ == nullptr || PQresultStatus(result.result_) != PGRES_COMMAND_OK) {
    return Failed(result.result_);
  }
  return result;
}

Status PgConnection::BeginCopy(const std::string& copy_sql) {
  PgResult result(PQexec(connection_, copy_sql.c_str()));
  if (result.result_ == nullptr || PQresultStatus(result.result_) != PGRES_COPY_IN) {
    return Failed(result.result_);
  }
  return Status::Ok();
}

Status PgConnection::PutCopyData(std::string_view data) {
  // Blocking connection: 1 means queued (or sent), -1 an error; 0 only
  // happens in non-blocking mode.
  if (PQputCopyData(connection_, data.data(), static_cast<int>(data.size())) != 1) {
    return Status::Unavailable(ErrorText(nullptr));
  }
  return Status::Ok();
}

Status PgConnection::EndCopy() {
  if (PQputCopyEnd(connection_, nullptr) != 1) return Status::Unavailable(ErrorText(nullptr));
  // The COPY's own verdict, then the end of the command (a null result).
  Status verdict = Status::Ok();
  while (pg_result* raw = PQgetResult(connection_)) {
    PgResult result(raw);
    if (verdict.ok() && PQresultStatus(raw) != PGRES_COMMAND_OK) verdict = Failed(raw);
  }
  return verdict;
}

std::string PgConnection::Describe() const {
  const auto text = [](const char* value) { return value == nullptr ? "" : std::string(value); };
  return text(PQuser(connection_)) + "@" + text(PQhost(connection_)) + ":" +
         text(PQport(connection_)) + "/" + text(PQdb(connection_));
}

}  // namespace skyflow::postgres
