// Statement: one submitted statement, from its submission to its result (or
// error), shared by the executor thread that runs it and the HTTP workers
// that answer polls, partition requests and cancels.
//
// Phases: queued -> running -> succeeded | failed | canceled (a cancel while
// queued skips running). A finished statement's result or error never
// changes, so it is handed out as a shared pointer to const, and partitions
// are served without holding any lock. `ready_at` (--async-delay-ms) is when
// a finished statement may be reported finished: before it, polls still see
// "in progress", which is how tests make the client poll. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "emulator/sqlapi/column_types.h"
#include "emulator/sqlapi/result_partitions.h"
#include "emulator/sqlapi/submit_request.h"

namespace skyflow::emulator::sqlapi {

enum class StatementPhase { kQueued, kRunning, kSucceeded, kFailed, kCanceled };

struct StatementError {
  int http_status = 422;
  std::string code;       // Snowflake's error code ("000904")
  std::string sql_state;  // five characters
  std::string message;
};

struct StatementResult {
  std::vector<ColumnType> columns;
  std::vector<Partition> partitions;  // at least one
  uint64_t rows = 0;
};

class Statement {
 public:
  using Clock = std::chrono::steady_clock;

  Statement(std::string handle, SubmitRequest request, int64_t created_on_ms,
            Clock::time_point ready_at)
      : handle_(std::move(handle)),
        request_(std::move(request)),
        created_on_ms_(created_on_ms),
        ready_at_(ready_at) {}

  const std::string& handle() const { return handle_; }
  const SubmitRequest& request() const { return request_; }
  int64_t created_on_ms() const { return created_on_ms_; }
  Clock::time_point ready_at() const { return ready_at_; }

  // Executor side. False when a cancel came first (the statement is then
  // canceled and must not run). `canceller` interrupts the running query
  // (PQcancel) and is called at most under this object's lock; it is
  // dropped by EndRunning, before what it uses is freed.
  bool BeginRunning(std::function<void()> canceller);
  void EndRunning();
  void Succeed(StatementResult result);
  // Fails it, or cancels it when a cancel was requested meanwhile.
  void Fail(StatementError error);
  bool cancel_requested() const;

  // A cancel: true when the statement was queued or running (it is or will
  // be canceled), false when it had already finished (nothing changes).
  bool RequestCancel();

  struct Snapshot {
    StatementPhase phase = StatementPhase::kQueued;
    std::shared_ptr<const StatementResult> result;  // when succeeded
    std::shared_ptr<const StatementError> error;    // when failed
  };
  Snapshot Get() const;
  // Waits until the statement finished or `deadline` passed.
  Snapshot WaitUntilFinished(Clock::time_point deadline) const;

 private:
  static bool Finished(StatementPhase phase) {
    return phase == StatementPhase::kSucceeded || phase == StatementPhase::kFailed ||
           phase == StatementPhase::kCanceled;
  }
  Snapshot SnapshotLocked() const { return Snapshot{phase_, result_, error_}; }

  const std::string handle_;
  const SubmitRequest request_;
  const int64_t created_on_ms_;
  const Clock::time_point ready_at_;

  mutable std::mutex mutex_;
  mutable std::condition_variable finished_;
  StatementPhase phase_ = StatementPhase::kQueued;
  bool cancel_requested_ = false;
  std::function<void()> canceller_;
  std::shared_ptr<const StatementResult> result_;
  std::shared_ptr<const StatementError> error_;
};

}  // namespace skyflow::emulator::sqlapi
