#include "emulator/sqlapi/postgres_errors.h"

#include <gtest/gtest.h>

namespace skyflow::emulator::sqlapi {
namespace {

TEST(PostgresErrorsTest, AStatementErrorIs422WithPostgresStateAndMessage) {
  const StatementError error = SnowflakeErrorFor(
      PostgresFailure{"42P01", "relation \"s.nope\" does not exist", "15", 0, false});
  EXPECT_EQ(error.http_status, 422);
  EXPECT_EQ(error.code, "002003");
  EXPECT_EQ(error.sql_state, "42P01");
  EXPECT_EQ(error.message,
            "SQL compilation error: relation \"s.nope\" does not exist (at character 15 of the "
            "statement)");
}

TEST(PostgresErrorsTest, RuntimeErrorsAreExecutionErrors) {
  const StatementError error =
      SnowflakeErrorFor(PostgresFailure{"22012", "division by zero", "", 0, false});
  EXPECT_EQ(error.code, "100051");
  EXPECT_EQ(error.message, "SQL execution error: division by zero");
  EXPECT_EQ(SnowflakeErrorFor(PostgresFailure{"", "lost", "", 0, false}).sql_state, "42000");
}

TEST(PostgresErrorsTest, AStatementTimeoutIs408) {
  const StatementError error = SnowflakeErrorFor(
      PostgresFailure{"57014", "canceling statement due to statement timeout", "", 5, true});
  EXPECT_EQ(error.http_status, 408);
  EXPECT_EQ(error.code, "000630");
  EXPECT_NE(error.message.find("timeout of 5 second(s)"), std::string::npos);
}

}  // namespace
}  // namespace skyflow::emulator::sqlapi
