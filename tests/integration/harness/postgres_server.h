// PostgresServer: a real PostgreSQL server for the tests that need SQL
// executed (the SQL API emulator runs the loader's statements on it; the
// PostgreSQL source reads from it).
//
// It is started from the Debian package's binaries (/usr/lib/postgresql/<v>/
// bin, the newest version installed) in a fresh data directory under /tmp,
// listening on 127.0.0.1 only, on a free port, with trust authentication for
// the `postgres` role and durability settings off (fsync, synchronous_commit:
// test data need not survive a power cut). initdb refuses to run as root,
// and the tests run as root in CI: then every server program runs as the
// `postgres` user the package creates (runuser), in a directory that user
// owns. The server is stopped (immediate shutdown) and its directory removed
// when the object goes away.
//
// Start() reports why a server could not start (PostgreSQL not installed:
// scripts/install-deps.sh installs it) instead of failing the test itself,
// so a suite can start one server in SetUpTestSuite and fail each test with
// the reason. Not synchronised: one thread drives a server.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace skyflow::testing {

class PostgresServer {
 public:
  // A running server, or nullptr with `*error` saying why.
  static std::unique_ptr<PostgresServer> Start(std::string* error);
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  int port() const { return port_; }
  // libpq keyword/value connection string for `database` as the superuser.
  std::string Dsn(const std::string& database) const;
  // The same as a URI: postgres://postgres@127.0.0.1:PORT/DATABASE.
  std::string Url(const std::string& database) const;

  // Runs `sql` (any number of statements) with psql in `database`, stopping
  // at the first error; returns what psql printed (unaligned, tuples only:
  // one row per line, columns separated by '|'). Fails the test, and returns
  // empty, when psql fails.
  std::string Psql(const std::string& database, const std::string& sql) const;

  // CREATE DATABASE `name` (UTF8, C collation).
  void CreateDatabase(const std::string& name) const;

 private:
  PostgresServer() = default;
  // Runs one of the server's programs, as the postgres user when needed.
  bool RunServerProgram(const std::string& program, const std::vector<std::string>& args,
                        std::string* output) const;

  std::string bin_dir_;
  std::string dir_;           // owns data/, the socket and the log
  bool as_postgres_ = false;  // programs run through runuser -u postgres
  int port_ = 0;
  bool started_ = false;
};

}  // namespace skyflow::testing
