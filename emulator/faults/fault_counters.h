// FaultCounters: how many faults of each kind the emulator injected, for the
// stats endpoint, so that a test can tell "three answers were dropped after
// commit" apart from requests that never came.
//
// Thread-safe: relaxed atomic increments.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "emulator/faults/fault_plan.h"

namespace skyflow::emulator {

class FaultCounters {
 public:
  void Count(FaultKind kind) { Increment(&by_kind_[static_cast<size_t>(kind)]); }
  void CountRateLimited() { Increment(&rate_limited_); }
  void CountSlowReadConnection() { Increment(&slow_read_connections_); }
  void CountDelayed() { Increment(&delayed_); }

  uint64_t injected(FaultKind kind) const {
    return by_kind_[static_cast<size_t>(kind)].load(std::memory_order_relaxed);
  }
  uint64_t rate_limited() const { return rate_limited_.load(std::memory_order_relaxed); }
  uint64_t slow_read_connections() const {
    return slow_read_connections_.load(std::memory_order_relaxed);
  }
  uint64_t delayed() const { return delayed_.load(std::memory_order_relaxed); }

  void Reset();

 private:
  static void Increment(std::atomic<uint64_t>* counter) {
    counter->fetch_add(1, std::memory_order_relaxed);
  }

  std::array<std::atomic<uint64_t>, kFaultKindCount> by_kind_{};
  std::atomic<uint64_t> rate_limited_{0};
  std::atomic<uint64_t> slow_read_connections_{0};
  std::atomic<uint64_t> delayed_{0};
};

}  // namespace skyflow::emulator
