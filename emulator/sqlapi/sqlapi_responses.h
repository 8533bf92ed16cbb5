// The SQL API's response bodies (../shared/spec/snowflake-sql-api.md), as the
// emulator writes them into an HttpResponse. Stateless; thread-safe.
#pragma once

#include <string_view>

#include "emulator/http/http_response.h"
#include "emulator/sqlapi/statement.h"

namespace skyflow::emulator::sqlapi {

// "/api/v2/statements/<handle>".
std::string StatementStatusUrl(std::string_view handle);

// {"code","message","sqlState","statementHandle"} (the handle and SQLSTATE
// only when not empty).
void WriteSqlApiError(int http_status, std::string_view code, std::string_view message,
                      std::string_view sql_state, std::string_view handle, HttpResponse* response);

// 202 {"code":"333334",...}: the statement is still running.
void WriteInProgress(std::string_view handle, HttpResponse* response);

// 200: metadata (numRows, jsonv2, rowType, partitionInfo), partition 0 as
// "data", code 090001.
void WriteResultSet(const Statement& statement, const StatementResult& result,
                    HttpResponse* response);

// The answer for a finished statement's failure: its error, or 422 000604
// for a canceled one.
void WriteStatementError(const Statement& statement, const StatementError* error,
                         HttpResponse* response);

// 200 {"code":"000604","sqlState":"57014","message":"SQL execution canceled",...}
void WriteCanceled(std::string_view handle, HttpResponse* response);

// The body of a partition request: {"data": <partition>}.
std::string PartitionBody(const Partition& partition);

}  // namespace skyflow::emulator::sqlapi
