#include "emulator/sqlapi/sqlapi_handler.h"

#include <chrono>
#include <string>
#include <thread>

#include "emulator/common/flag_values.h"
#include "emulator/common/unix_clock.h"
#include "emulator/sqlapi/gzip.h"
#include "emulator/sqlapi/sql_text.h"
#include "emulator/sqlapi/sqlapi_emulator.h"
#include "emulator/sqlapi/sqlapi_responses.h"

namespace skyflow::emulator::sqlapi {
namespace {

constexpr std::string_view kBadPayloadCode = "390142";

int64_t UnixMilliseconds() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The value of the last query parameter `name`, or nullptr.
const std::string* FindParameter(const std::vector<QueryParameter>& query, std::string_view name) {
  const std::string* found = nullptr;
  for (const QueryParameter& parameter : query) {
    if (parameter.name == name) found = &parameter.value;
  }
  return found;
}

bool IsFinished(StatementPhase phase) {
  return phase == StatementPhase::kSucceeded || phase == StatementPhase::kFailed ||
         phase == StatementPhase::kCanceled;
}

}  // namespace

void SqlApiHandler::Handle(const HttpRequest& request, HttpResponse* response) {
  const Router::Match match = emulator_->router().Find(request.method, request.path);
  if (match.kind == Router::Match::Kind::kNotFound) {
    WriteSqlApiError(404, "390400",
                     "No such endpoint on the SQL API emulator; the API is "
                     "/api/v2/statements[/{handle}[/cancel]]",
                     "", "", response);
    return;
  }
  if (match.kind == Router::Match::Kind::kMethodNotAllowed) {
    response->AddHeader("Allow", match.allowed);
    WriteSqlApiError(405, "390400", "Method not allowed here; use " + match.allowed, "", "",
                     response);
    return;
  }
  const auto route = static_cast<SqlApiRoute>(match.route);
  if (route == SqlApiRoute::kStats) {
    response->body = emulator_->stats().ToJson(emulator_->executor().executed());
    return;
  }
  if (!Authenticate(request, response)) return;
  switch (route) {
    case SqlApiRoute::kSubmit:
      Submit(request, response);
      return;
    case SqlApiRoute::kStatus:
      StatementStatus(match.params[0], request, response);
      return;
    case SqlApiRoute::kCancel:
      Cancel(match.params[0], response);
      return;
    case SqlApiRoute::kStats:
      return;
  }
}

void SqlApiHandler::HandleProtocolError(int status, std::string_view message,
                                        std::string_view /*request_id*/, HttpResponse* response) {
  WriteSqlApiError(status, kBadPayloadCode, message, "", "", response);
}

bool SqlApiHandler::Authenticate(const HttpRequest& request, HttpResponse* response) {
  const AuthVerdict verdict = emulator_->auth().Check(
      request.Header("Authorization"), request.Header("X-Snowflake-Authorization-Token-Type"),
      UnixSeconds());
  if (verdict.accepted) return true;
  ++emulator_->stats().unauthorized;
  WriteSqlApiError(401, verdict.code, verdict.message, "", "", response);
  return false;
}

void SqlApiHandler::Submit(const HttpRequest& request, HttpResponse* response) {
  if (Status status = ParseQueryString(request.query, &query_); !status.ok()) {
    WriteSqlApiError(400, kBadPayloadCode, status.message(), "", "", response);
    return;
  }
  const std::string* async_text = FindParameter(query_, "async");
  if (async_text != nullptr && *async_text != "true" && *async_text != "false") {
    WriteSqlApiError(400, kBadPayloadCode, "the async parameter must be true or false", "", "",
                     response);
    return;
  }
  const bool async = async_text != nullptr && *async_text == "true";
  const std::string* request_id_text = FindParameter(query_, "requestId");
  const std::string request_id = request_id_text ? *request_id_text : "";

  SqlApiFaults& faults = emulator_->faults();
  if (faults.Draw(faults.rates().submit_429)) {
    ++emulator_->stats().faults_injected;
    response->AddHeader("Retry-After", "1");
    WriteSqlApiError(429, "000429",
                     "Too many requests; retry later (fault injected by --fault-429-submit)", "",
                     "", response);
    return;
  }
  Result<SubmitRequest> submitted = ParseSubmitRequest(request.body, &parser_);
  if (!submitted.ok()) {
    WriteSqlApiError(
        400, kBadPayloadCode,
        "Incoming request does not contain a valid payload: " + submitted.status().message(), "",
        "", response);
    return;
  }

  const SqlApiEmulatorConfig& config = emulator_->config();
  const auto now = Statement::Clock::now();
  StatementRegistry::Registration registration =
      emulator_->registry().Register(request_id, [&](std::string handle) {
        return std::make_shared<Statement>(std::move(handle), std::move(*submitted),
                                           UnixMilliseconds(), now + config.async_delay);
      });
  Statement& statement = *registration.statement;
  if (registration.created) {
    ++emulator_->stats().statements_submitted;
    if (std::optional<std::string> problem = CrossDatabaseProblem(statement.request().statement)) {
      statement.Fail(StatementError{422, "000002", "0A000", *problem});
    } else {
      emulator_->executor().Submit(registration.statement);
    }
  } else {
    ++emulator_->stats().duplicate_submits;
  }

  if (faults.Draw(faults.rates().submit_503)) {
    ++emulator_->stats().faults_injected;
    WriteSqlApiError(503, "000503",
                     "Service unavailable (fault injected by --fault-503-submit, after the "
                     "statement was accepted)",
                     "", "", response);
    return;
  }
  if (async && registration.created) {
    WriteInProgress(statement.handle(), response);
    return;
  }
  Statement::Snapshot snapshot = statement.Get();
  if (!async) {
    const auto deadline = Statement::Clock::now() + config.sync_wait;
    snapshot = statement.WaitUntilFinished(deadline);
    // A finished statement still "runs" until its delay passes: wait for
    // that too, within the same deadline.
    if (IsFinished(snapshot.phase) && snapshot.phase != StatementPhase::kCanceled) {
      std::this_thread::sleep_until(std::min(deadline, statement.ready_at()));
    }
  }
  AnswerState(statement, snapshot, response);
}

void SqlApiHandler::AnswerState(const Statement& statement, const Statement::Snapshot& snapshot,
                                HttpResponse* response) const {
  switch (snapshot.phase) {
    case StatementPhase::kCanceled:
      WriteStatementError(statement, nullptr, response);
      return;
    case StatementPhase::kQueued:
    case StatementPhase::kRunning:
      WriteInProgress(statement.handle(), response);
      return;
    case StatementPhase::kSucceeded:
    case StatementPhase::kFailed:
      break;
  }
  if (Statement::Clock::now() < statement.ready_at()) {
    WriteInProgress(statement.handle(), response);
  } else if (snapshot.phase == StatementPhase::kSucceeded) {
    WriteResultSet(statement, *snapshot.result, response);
  } else {
    WriteStatementError(statement, snapshot.error.get(), response);
  }
}

std::shared_ptr<Statement> SqlApiHandler::FindStatement(std::string_view handle,
                                                        HttpResponse* response) {
  std::shared_ptr<Statement> statement = emulator_->registry().Find(handle);
  if (statement == nullptr) {
    WriteSqlApiError(404, "000709",
                     "Statement " + std::string(handle) + " not found on this emulator", "02000",
                     "", response);
  }
  return statement;
}

void SqlApiHandler::StatementStatus(std::string_view handle, const HttpRequest& request,
                                    HttpResponse* response) {
  const std::shared_ptr<Statement> statement = FindStatement(handle, response);
  if (statement == nullptr) return;
  if (Status parsed = ParseQueryString(request.query, &query_); !parsed.ok()) {
    WriteSqlApiError(400, kBadPayloadCode, parsed.message(), "", statement->handle(), response);
    return;
  }
  if (const std::string* index = FindParameter(query_, "partition")) {
    ServePartition(*statement, *index, request, response);
    return;
  }
  AnswerState(*statement, statement->Get(), response);
}

void SqlApiHandler::ServePartition(const Statement& statement, std::string_view index,
                                   const HttpRequest& request, HttpResponse* response) {
  const auto start = Statement::Clock::now();
  SqlApiFaults& faults = emulator_->faults();
  if (faults.Draw(faults.rates().partition_drop)) {
    ++emulator_->stats().faults_injected;
    response->delivery = HttpResponse::Delivery::kDropConnection;
    return;
  }
  if (faults.Draw(faults.rates().partition_503)) {
    ++emulator_->stats().faults_injected;
    WriteSqlApiError(503, "000503", "Service unavailable (fault injected by --fault-503-partition)",
                     "", statement.handle(), response);
    return;
  }
  const Statement::Snapshot snapshot = statement.Get();
  if (snapshot.phase != StatementPhase::kSucceeded || start < statement.ready_at()) {
    AnswerState(statement, snapshot, response);
    return;
  }
  const std::vector<Partition>& partitions = snapshot.result->partitions;
  Result<uint64_t> number = ParseUnsigned("partition", index, UINT64_MAX);
  if (!number.ok() || *number >= partitions.size()) {
    WriteSqlApiError(400, "391922",
                     "Partition number " + std::string(index) +
                         " is out of range: this result has partitions 0 to " +
                         std::to_string(partitions.size() - 1),
                     "", statement.handle(), response);
    return;
  }
  const Partition& partition = partitions[*number];
  if (AcceptsGzip(request.Header("Accept-Encoding"))) {
    Result<std::string> compressed = GzipCompress(PartitionBody(partition));
    if (!compressed.ok()) {
      WriteSqlApiError(500, "000500", compressed.status().message(), "", statement.handle(),
                       response);
      return;
    }
    response->body = std::move(*compressed);
    response->AddHeader("Content-Encoding", "gzip");
  } else {
    response->body = PartitionBody(partition);
  }
  response->delay = faults.rates().partition_delay;
  ++emulator_->stats().partitions_served;
  emulator_->stats().RecordPartitionRequest(start, Statement::Clock::now() + response->delay);
}

void SqlApiHandler::Cancel(std::string_view handle, HttpResponse* response) {
  const std::shared_ptr<Statement> statement = FindStatement(handle, response);
  if (statement == nullptr) return;
  ++emulator_->stats().cancels;
  statement->RequestCancel();
  WriteCanceled(statement->handle(), response);
}

}  // namespace skyflow::emulator::sqlapi
