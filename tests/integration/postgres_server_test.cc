// The PostgreSQL the SQL tests stand on: it starts as the harness promises,
// runs SQL, and only listens on loopback.
#include "harness/postgres_server.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace skyflow::testing {
namespace {

TEST(PostgresServerTest, StartsRunsSqlAndListensOnLoopbackOnly) {
  std::string error;
  std::unique_ptr<PostgresServer> server = PostgresServer::Start(&error);
  ASSERT_NE(server, nullptr) << error;
  server->CreateDatabase("d01_skyflow_poc");
  EXPECT_EQ(server->Psql("d01_skyflow_poc",
                         "CREATE TABLE t (v text); INSERT INTO t VALUES ('a'), ('b');"
                         "SELECT count(*) FROM t;"),
            "2\n");
  EXPECT_EQ(server->Psql("d01_skyflow_poc", "SHOW listen_addresses;"), "127.0.0.1\n");
  // PostgreSQL resolves a three-part name inside the current database, which
  // is what lets the loader's Snowflake SQL run here unmodified.
  EXPECT_EQ(server->Psql("d01_skyflow_poc", "SELECT count(*) FROM d01_skyflow_poc.public.t;"),
            "2\n");
}

}  // namespace
}  // namespace skyflow::testing
