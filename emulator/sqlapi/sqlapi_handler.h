// SqlApiHandler: the HttpHandler of one worker of the SQL API emulator.
//
// Order for an API request: route (404, 405), authentication (401), then
// the endpoint: a submit draws its 429 fault, parses the body (400 390142),
// registers the statement under its requestId (a known requestId is the
// same statement, not run again), answers a cross-database statement 422
// without running it, queues the rest, draws its 503 fault, and answers
// 202 (async=true) or waits for the result (async=false, up to
// config().sync_wait). A status request answers 202 while the statement
// runs (or its --async-delay-ms has not passed), the result set or the
// error once finished; with ?partition=N it draws the partition faults and
// answers that partition, gzip-encoded when the client accepts gzip. A
// cancel answers 200 and interrupts the statement if it still runs. The
// stats endpoint needs no authentication. One per worker thread; not
// synchronised (what it shares lives in SqlApiEmulator).
#pragma once

#include <simdjson.h>

#include <memory>
#include <string_view>
#include <vector>

#include "emulator/api/query_string.h"
#include "emulator/http/http_handler.h"
#include "emulator/sqlapi/statement.h"

namespace skyflow::emulator::sqlapi {

class SqlApiEmulator;

class SqlApiHandler : public HttpHandler {
 public:
  explicit SqlApiHandler(SqlApiEmulator* emulator) : emulator_(emulator) {}

  void Handle(const HttpRequest& request, HttpResponse* response) override;
  void HandleProtocolError(int status, std::string_view message, std::string_view request_id,
                           HttpResponse* response) override;

 private:
  // The statement `handle` names, or nullptr after answering 404.
  std::shared_ptr<Statement> FindStatement(std::string_view handle, HttpResponse* response);
  bool Authenticate(const HttpRequest& request, HttpResponse* response);
  void Submit(const HttpRequest& request, HttpResponse* response);
  void StatementStatus(std::string_view handle, const HttpRequest& request, HttpResponse* response);
  void ServePartition(const Statement& statement, std::string_view index,
                      const HttpRequest& request, HttpResponse* response);
  void Cancel(std::string_view handle, HttpResponse* response);
  // The answer for a statement's current state (202, 200 result set, error).
  void AnswerState(const Statement& statement, const Statement::Snapshot& snapshot,
                   HttpResponse* response) const;

  SqlApiEmulator* emulator_;
  simdjson::dom::parser parser_;
  std::vector<QueryParameter> query_;
};

}  // namespace skyflow::emulator::sqlapi
