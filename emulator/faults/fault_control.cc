#include "emulator/faults/fault_control.h"

namespace skyflow::emulator {

FaultControl::FaultControl(FaultPlan initial)
    : current_(std::make_shared<ActiveFaultPlan>(std::move(initial),
                                                 std::chrono::steady_clock::now())) {}

void FaultControl::Replace(FaultPlan plan) {
  auto active =
      std::make_shared<ActiveFaultPlan>(std::move(plan), std::chrono::steady_clock::now());
  std::lock_guard lock(mutex_);
  current_ = std::move(active);
  version_.fetch_add(1, std::memory_order_release);
}

void FaultControl::Restart() {
  // Under one lock: a Replace cannot slip in between and be undone.
  std::lock_guard lock(mutex_);
  current_ = std::make_shared<ActiveFaultPlan>(current_->plan, std::chrono::steady_clock::now());
  version_.fetch_add(1, std::memory_order_release);
}

std::shared_ptr<ActiveFaultPlan> FaultControl::Current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

}  // namespace skyflow::emulator
