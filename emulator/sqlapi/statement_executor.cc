#include "emulator/sqlapi/statement_executor.h"

#include <libpq-fe.h>

#include <algorithm>

#include "emulator/sqlapi/postgres_errors.h"
#include "emulator/sqlapi/sql_text.h"
#include "util/ascii.h"

namespace skyflow::emulator::sqlapi {
namespace {

struct PgConnectionCloser {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
using PgConnection = std::unique_ptr<PGconn, PgConnectionCloser>;

struct PgResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgResultClearer>;

std::string TrimmedMessage(const char* text) {
  std::string message = text == nullptr ? "" : text;
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  return message;
}

// Settings every statement relies on: ISO dates (column_types.h parses
// them) and UTF-8 text (JSON must be UTF-8).
Status ApplySessionSettings(PGconn* connection) {
  PgResult result(PQexec(connection,
                         "SET DateStyle = 'ISO, YMD'; SET client_encoding = 'UTF8'; "
                         "SET IntervalStyle = 'iso_8601'"));
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return Status::Unavailable("PostgreSQL refused the session settings: " +
                               TrimmedMessage(PQerrorMessage(connection)));
  }
  return Status::Ok();
}

PgConnection Connect(const std::string& dsn, Status* status) {
  PgConnection connection(PQconnectdb(dsn.c_str()));
  if (connection == nullptr || PQstatus(connection.get()) != CONNECTION_OK) {
    *status = Status::Unavailable("cannot connect to PostgreSQL (--pg-dsn): " +
                                  (connection == nullptr
                                       ? std::string("out of memory")
                                       : TrimmedMessage(PQerrorMessage(connection.get()))));
    return nullptr;
  }
  *status = ApplySessionSettings(connection.get());
  return status->ok() ? std::move(connection) : nullptr;
}

StatementError UnreachableError(const Status& status) {
  // Snowflake's "could not connect to the backend"; terminal for a client,
  // which is what a test wants to see rather than endless retries.
  return StatementError{422, "250001", "08001", "SQL API emulator: " + status.message()};
}

// Snowflake's SCHEMA as PostgreSQL names it: an unquoted name upper-case
// in Snowflake is lower-case in PostgreSQL; a quoted one is kept.
std::string PostgresSchemaName(const std::string& schema) {
  if (schema.size() >= 2 && schema.front() == '"' && schema.back() == '"') {
    std::string name;
    for (size_t i = 1; i + 1 < schema.size(); ++i) {
      name.push_back(schema[i]);
      if (schema[i] == '"') ++i;
    }
    return name;
  }
  return AsciiLowered(schema);
}

Status PrepareSession(PGconn* connection, const SubmitRequest& request) {
  std::string settings =
      "SET statement_timeout = " + std::to_string(request.timeout_seconds * 1000) + "; ";
  if (request.schema.empty()) {
    settings += "RESET search_path";
  } else {
    const std::string name = PostgresSchemaName(request.schema);
    char* quoted = PQescapeIdentifier(connection, name.data(), name.size());
    if (quoted == nullptr) {
      return Status::InvalidArgument("\"schema\": " + TrimmedMessage(PQerrorMessage(connection)));
    }
    // Snowflake's built-in functions are found from any schema; here they
    // are functions in public (tests/integration/sql/snowflake_functions.sql).
    settings += "SET search_path TO " + std::string(quoted) + ", public";
    PQfreemem(quoted);
  }
  PgResult result(PQexec(connection, settings.c_str()));
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return Status::Unavailable(TrimmedMessage(PQerrorMessage(connection)));
  }
  return Status::Ok();
}

std::vector<ColumnType> ColumnsOf(const PGresult* result) {
  std::vector<ColumnType> columns;
  const int count = PQnfields(result);
  columns.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    columns.push_back(ColumnTypeFor(PQfname(result, i), PQftype(result, i), PQfmod(result, i)));
  }
  return columns;
}

void AddRow(const PGresult* result, const std::vector<ColumnType>& columns,
            ResultPartitionsBuilder* builder) {
  builder->BeginRow();
  const int count = PQnfields(result);
  for (int i = 0; i < count; ++i) {
    if (PQgetisnull(result, 0, i)) {
      builder->AddNull();
      continue;
    }
    const std::string_view text(PQgetvalue(result, 0, i),
                                static_cast<size_t>(PQgetlength(result, 0, i)));
    const CellConversion conversion = columns[static_cast<size_t>(i)].conversion;
    if (conversion == CellConversion::kNone) {
      builder->AddCell(text);
    } else {
      builder->AddCell(ConvertCell(conversion, text));
    }
  }
  builder->EndRow();
}

// What Snowflake answers for a statement that returns no rows: one row
// saying what it did.
void AddCommandRow(const PGresult* result, StatementResult* out, ResultPartitionsBuilder* builder) {
  const std::string_view command = PQcmdStatus(const_cast<PGresult*>(result));
  const std::string_view affected = PQcmdTuples(const_cast<PGresult*>(result));
  ColumnType column;
  std::string value;
  if (command.starts_with("INSERT") || command.starts_with("UPDATE") ||
      command.starts_with("DELETE")) {
    column = ColumnTypeFor("", 20, -1);
    column.name = command.starts_with("INSERT")   ? "number of rows inserted"
                  : command.starts_with("UPDATE") ? "number of rows updated"
                                                  : "number of rows deleted";
    value = affected.empty() ? "0" : std::string(affected);
  } else {
    column = ColumnTypeFor("", 25, -1);
    column.name = "status";
    value = "Statement executed successfully.";
  }
  out->columns = {column};
  builder->BeginRow();
  builder->AddCell(value);
  builder->EndRow();
}

struct QueryOutcome {
  bool failed = false;
  std::string sql_state;
  std::string message;
  std::string position;
};

void RecordFailure(const PGresult* result, PGconn* connection, QueryOutcome* outcome) {
  if (outcome->failed) return;  // the first error is the cause
  outcome->failed = true;
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const char* position = result ? PQresultErrorField(result, PG_DIAG_STATEMENT_POSITION) : nullptr;
  outcome->sql_state = state ? state : "";
  outcome->message = primary ? primary : TrimmedMessage(PQerrorMessage(connection));
  outcome->position = position ? position : "";
}

// Reads every result of the query sent, building the partitions.
QueryOutcome ReadResults(PGconn* connection, PartitionSizing sizing, StatementResult* out) {
  QueryOutcome outcome;
  ResultPartitionsBuilder builder(sizing);
  bool have_columns = false;
  while (PGresult* raw = PQgetResult(connection)) {
    PgResult result(raw);
    switch (PQresultStatus(raw)) {
      case PGRES_SINGLE_TUPLE:
        if (!have_columns) {
          out->columns = ColumnsOf(raw);
          have_columns = true;
        }
        if (!outcome.failed) AddRow(raw, out->columns, &builder);
        break;
      case PGRES_TUPLES_OK:  // the end of the rows (all of them, if none)
        if (!have_columns) {
          out->columns = ColumnsOf(raw);
          have_columns = true;
        }
        break;
      case PGRES_COMMAND_OK:
        if (!have_columns && !outcome.failed) {
          AddCommandRow(raw, out, &builder);
          have_columns = true;
        }
        break;
      case PGRES_COPY_IN:
        PQputCopyEnd(connection, "COPY FROM STDIN is not supported by the SQL API emulator");
        break;
      case PGRES_COPY_OUT: {
        char* buffer = nullptr;
        while (PQgetCopyData(connection, &buffer, 0) > 0)
          PQfreemem(buffer);
        outcome.failed = true;
        outcome.sql_state = "0A000";
        outcome.message = "COPY TO STDOUT is not supported by the SQL API emulator";
        break;
      }
      case PGRES_EMPTY_QUERY:
        outcome.failed = true;
        outcome.sql_state = "42601";
        outcome.message = "empty SQL statement";
        break;
      default:
        RecordFailure(raw, connection, &outcome);
        break;
    }
  }
  out->rows = builder.rows();
  out->partitions = builder.Finish();
  return outcome;
}

// Runs one statement on `connection`; false when it was canceled before it
// started.
bool Run(PGconn* connection, Statement* statement, PartitionSizing sizing) {
  const SubmitRequest& request = statement->request();
  if (Status status = PrepareSession(connection, request); !status.ok()) {
    statement->Fail(SnowflakeErrorFor(PostgresFailure{"42000", status.message(), "", 0, false}));
    return true;
  }
  int placeholders = 0;
  const std::string text = request.bindings.empty()
                               ? request.statement
                               : NumberPlaceholders(request.statement, &placeholders);
  std::vector<const char*> values;
  for (const std::optional<std::string>& binding : request.bindings) {
    values.push_back(binding ? binding->c_str() : nullptr);
  }

  PGcancel* cancel = PQgetCancel(connection);
  const bool started = statement->BeginRunning([cancel] {
    if (cancel == nullptr) return;
    char error[256];
    PQcancel(cancel, error, sizeof error);
  });
  if (!started) {
    if (cancel != nullptr) PQfreeCancel(cancel);
    return false;
  }
  StatementResult result;
  QueryOutcome outcome;
  if (PQsendQueryParams(connection, text.c_str(), static_cast<int>(values.size()), nullptr,
                        values.data(), nullptr, nullptr, 0) == 0) {
    RecordFailure(nullptr, connection, &outcome);
  } else {
    PQsetSingleRowMode(connection);
    outcome = ReadResults(connection, sizing, &result);
  }
  statement->EndRunning();
  if (cancel != nullptr) PQfreeCancel(cancel);

  if (!outcome.failed) {
    statement->Succeed(std::move(result));
    return true;
  }
  const bool timed_out =
      outcome.sql_state == "57014" && !statement->cancel_requested() && request.timeout_seconds > 0;
  statement->Fail(SnowflakeErrorFor(PostgresFailure{
      outcome.sql_state, outcome.message, outcome.position, request.timeout_seconds, timed_out}));
  return true;
}

}  // namespace

StatementExecutor::StatementExecutor(std::string dsn, int threads, PartitionSizing sizing)
    : dsn_(std::move(dsn)), thread_count_(std::max(1, threads)), sizing_(sizing) {}

StatementExecutor::~StatementExecutor() {
  Stop();
}

Status StatementExecutor::CheckConnection(const std::string& dsn) {
  Status status;
  PgConnection connection = Connect(dsn, &status);
  return status;
}

void StatementExecutor::Start() {
  for (int i = 0; i < thread_count_; ++i)
    threads_.emplace_back([this] { Work(); });
}

void StatementExecutor::Submit(std::shared_ptr<Statement> statement) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(statement));
      statement = nullptr;
    }
  }
  if (statement != nullptr) {
    statement->RequestCancel();  // shutting down: it will never run
    return;
  }
  queued_.notify_one();
}

uint64_t StatementExecutor::executed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return executed_;
}

void StatementExecutor::Stop() {
  std::vector<std::shared_ptr<Statement>> to_cancel;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    // Moved and copied one by one: GCC 12 at -O3 sees a null dereference
    // in the range copy-assignment of shared_ptrs (-Wnull-dereference).
    to_cancel.reserve(queue_.size() + running_.size());
    for (std::shared_ptr<Statement>& queued : queue_)
      to_cancel.push_back(std::move(queued));
    for (const std::shared_ptr<Statement>& running : running_)
      to_cancel.push_back(running);
    queue_.clear();
  }
  queued_.notify_all();
  for (const std::shared_ptr<Statement>& statement : to_cancel)
    statement->RequestCancel();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void StatementExecutor::Work() {
  PgConnection connection;
  for (;;) {
    std::shared_ptr<Statement> statement;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      statement = std::move(queue_.front());
      queue_.pop_front();
      running_.push_back(statement);
    }
    if (connection != nullptr && PQstatus(connection.get()) != CONNECTION_OK) connection.reset();
    Status status;
    if (connection == nullptr) connection = Connect(dsn_, &status);
    bool ran = false;
    if (connection == nullptr) {
      statement->Fail(UnreachableError(status));
    } else {
      ran = Run(connection.get(), statement.get(), sizing_);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    running_.erase(std::find(running_.begin(), running_.end(), statement));
    if (ran) ++executed_;
  }
}

}  // namespace skyflow::emulator::sqlapi
