#include "emulator/sqlapi/statement.h"

namespace skyflow::emulator::sqlapi {

bool Statement::BeginRunning(std::function<void()> canceller) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (cancel_requested_) return false;
  phase_ = StatementPhase::kRunning;
  canceller_ = std::move(canceller);
  return true;
}

void Statement::EndRunning() {
  std::lock_guard<std::mutex> lock(mutex_);
  canceller_ = nullptr;
}

void Statement::Succeed(StatementResult result) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    canceller_ = nullptr;
    phase_ = StatementPhase::kSucceeded;
    result_ = std::make_shared<const StatementResult>(std::move(result));
  }
  finished_.notify_all();
}

void Statement::Fail(StatementError error) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    canceller_ = nullptr;
    phase_ = cancel_requested_ ? StatementPhase::kCanceled : StatementPhase::kFailed;
    if (!cancel_requested_) error_ = std::make_shared<const StatementError>(std::move(error));
  }
  finished_.notify_all();
}

bool Statement::cancel_requested() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cancel_requested_;
}

bool Statement::RequestCancel() {
  bool now_canceled = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (Finished(phase_)) return false;
    cancel_requested_ = true;
    if (phase_ == StatementPhase::kQueued) {
      phase_ = StatementPhase::kCanceled;
      now_canceled = true;
    } else if (canceller_) {
      canceller_();
    }
  }
  if (now_canceled) finished_.notify_all();
  return true;
}

Statement::Snapshot Statement::Get() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return SnapshotLocked();
}

Statement::Snapshot Statement::WaitUntilFinished(Clock::time_point deadline) const {
  std::unique_lock<std::mutex> lock(mutex_);
  finished_.wait_until(lock, deadline, [this] { return Finished(phase_); });
  return SnapshotLocked();
}

}  // namespace skyflow::emulator::sqlapi
