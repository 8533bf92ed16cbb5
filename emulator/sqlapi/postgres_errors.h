// How a PostgreSQL error reads as a Snowflake SQL API error: HTTP status,
// Snowflake error code, SQLSTATE and message.
//
// A statement error is 422 with PostgreSQL's SQLSTATE and its primary
// message (and the position in the statement, when PostgreSQL gives one);
// the code is the Snowflake code of the same kind of failure (001003 syntax
// error, 002003 object does not exist, 000904 invalid identifier, 002140
// unknown function, 100051 division by zero; 000904 otherwise). A query
// stopped by its statement timeout is Snowflake's 408/000630. Stateless;
// thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "emulator/sqlapi/statement.h"

namespace skyflow::emulator::sqlapi {

struct PostgresFailure {
  std::string_view sql_state;   // "42P01"; empty when unknown
  std::string_view message;     // PG_DIAG_MESSAGE_PRIMARY (or the whole error)
  std::string_view position;    // PG_DIAG_STATEMENT_POSITION, characters from 1
  int64_t timeout_seconds = 0;  // the statement's timeout, for the 408
  bool timed_out = false;       // stopped by statement_timeout
};

StatementError SnowflakeErrorFor(const PostgresFailure& failure);

}  // namespace skyflow::emulator::sqlapi
