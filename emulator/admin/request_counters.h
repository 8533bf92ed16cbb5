// RequestCounters: how many requests the emulator answered, by HTTP status,
// for the stats endpoint (tests assert on them: "three 429s were sent").
//
// Thread-safe: one relaxed atomic increment per request. Reset is not atomic
// with respect to requests in flight; a count may land just before or after.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <utility>
#include <vector>

namespace skyflow::emulator {

class RequestCounters {
 public:
  void Count(int status);
  // A request closed without an answer (an injected reset or drop).
  void CountUnanswered() { unanswered_.fetch_add(1, std::memory_order_relaxed); }
  uint64_t Unanswered() const { return unanswered_.load(std::memory_order_relaxed); }
  // Statuses with a non-zero count, ascending.
  std::vector<std::pair<int, uint64_t>> ByStatus() const;
  uint64_t Total() const;
  void Reset();

 private:
  static constexpr int kStatuses = 600;  // 0..599; anything else counts as 0
  std::array<std::atomic<uint64_t>, kStatuses> by_status_{};
  std::atomic<uint64_t> unanswered_{0};
};

}  // namespace skyflow::emulator
