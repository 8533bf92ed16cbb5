// StatementExecutor: runs submitted statements on PostgreSQL, each on one of
// a fixed set of threads with its own libpq connection (opened on first use,
// reset when it breaks), so that statements run while the HTTP workers
// answer polls, and several run at once (the loader runs one per vault).
//
// A statement runs in its own implicit transaction through the extended
// protocol (PQsendQueryParams: `?` bindings become $1..; several statements
// in one text are refused by PostgreSQL), after `SET statement_timeout` (its
// `timeout`) and `SET search_path` (its `schema`, folded as Snowflake folds
// an unquoted name). Rows arrive in single-row mode and are encoded into
// partitions as they come, so no whole PGresult of a large result is held.
// A statement other than a query answers one row, as Snowflake does
// ("number of rows inserted", ...). A cancel interrupts the query with
// PQcancel. Stop() cancels what is queued or runs (so that requests waiting
// for a result are answered), and joins the threads. Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "emulator/sqlapi/result_partitions.h"
#include "emulator/sqlapi/statement.h"
#include "util/status.h"

namespace skyflow::emulator::sqlapi {

class StatementExecutor {
 public:
  StatementExecutor(std::string dsn, int threads, PartitionSizing sizing);
  ~StatementExecutor();
  StatementExecutor(const StatementExecutor&) = delete;
  StatementExecutor& operator=(const StatementExecutor&) = delete;

  // Connects once to `dsn`, so that a wrong --pg-dsn is reported at startup.
  static Status CheckConnection(const std::string& dsn);

  void Start();
  // Queues a statement; a thread picks it up in submission order. After
  // Stop() the statement is canceled instead.
  void Submit(std::shared_ptr<Statement> statement);
  // Statements run so far.
  uint64_t executed() const;
  void Stop();

 private:
  void Work();

  const std::string dsn_;
  const int thread_count_;
  const PartitionSizing sizing_;
  mutable std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<std::shared_ptr<Statement>> queue_;
  std::vector<std::shared_ptr<Statement>> running_;
  uint64_t executed_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace skyflow::emulator::sqlapi
