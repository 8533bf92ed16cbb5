// FaultControl: the fault plan in force, shared by every worker and
// replaceable while the emulator runs (the admin endpoint), so that a test
// can change behaviour mid-load: start an outage, lift a rate limit.
//
// A plan takes effect as an ActiveFaultPlan: the plan, the moment it took
// effect (its schedule counts from there) and its own rate-limit buckets
// (a new plan starts with full buckets). Workers keep a shared_ptr to the
// active plan and check a version number per request, one relaxed atomic
// load, fetching the new plan only when it changed. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

#include "emulator/faults/fault_plan.h"
#include "emulator/faults/rate_limiter.h"

namespace skyflow::emulator {

struct ActiveFaultPlan {
  ActiveFaultPlan(FaultPlan plan_in, std::chrono::steady_clock::time_point start_in)
      : plan(std::move(plan_in)), start(start_in), limiter(plan.rate_limit) {}

  const FaultPlan plan;
  const std::chrono::steady_clock::time_point start;
  RateLimiter limiter;  // thread-safe
  // How many requests and connections have drawn from this plan: the index
  // of each one's draws (see FaultInjector).
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> connections{0};
};

class FaultControl {
 public:
  explicit FaultControl(FaultPlan initial);

  // `plan` must be valid (FaultPlan::Validate).
  void Replace(FaultPlan plan);
  // The plan in force takes effect again now: its schedule counts from now,
  // its buckets are full and its draws start over. The emulator calls it
  // when it starts serving, so that the time spent replaying a data file
  // does not eat into a scheduled outage.
  void Restart();
  std::shared_ptr<ActiveFaultPlan> Current() const;
  uint64_t version() const { return version_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<ActiveFaultPlan> current_;
  std::atomic<uint64_t> version_{0};
};

}  // namespace skyflow::emulator
