#include "emulator/sqlapi/postgres_errors.h"

#include <string>

namespace skyflow::emulator::sqlapi {
namespace {

std::string_view SnowflakeCodeFor(std::string_view sql_state) {
  if (sql_state == "42601") return "001003";                          // syntax_error
  if (sql_state == "42P01" || sql_state == "3F000") return "002003";  // table, schema
  if (sql_state == "42703") return "000904";                          // undefined_column
  if (sql_state == "42883") return "002140";                          // undefined_function
  if (sql_state == "22012") return "100051";                          // division_by_zero
  return "000904";
}

}  // namespace

StatementError SnowflakeErrorFor(const PostgresFailure& failure) {
  StatementError error;
  if (failure.timed_out) {
    error.http_status = 408;
    error.code = "000630";
    error.sql_state = "57014";
    error.message = "Statement reached its statement or warehouse timeout of " +
                    std::to_string(failure.timeout_seconds) + " second(s) and was canceled.";
    return error;
  }
  error.http_status = 422;
  error.code = std::string(SnowflakeCodeFor(failure.sql_state));
  error.sql_state = failure.sql_state.size() == 5 ? std::string(failure.sql_state) : "42000";
  // Class 42 (syntax and names) fails before anything runs, as a Snowflake
  // compilation error does; the rest fail while running.
  error.message = std::string(error.sql_state.substr(0, 2) == "42" ? "SQL compilation error: "
                                                                   : "SQL execution error: ") +
                  std::string(failure.message);
  while (!error.message.empty() && error.message.back() == '\n')
    error.message.pop_back();
  if (!failure.position.empty()) {
    error.message += " (at character " + std::string(failure.position) + " of the statement)";
  }
  return error;
}

}  // namespace skyflow::emulator::sqlapi
