#include "emulator/admin/request_counters.h"

namespace skyflow::emulator {

void RequestCounters::Count(int status) {
  const int slot = status >= 0 && status < kStatuses ? status : 0;
  by_status_[static_cast<size_t>(slot)].fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::pair<int, uint64_t>> RequestCounters::ByStatus() const {
  std::vector<std::pair<int, uint64_t>> counts;
  for (int status = 0; status < kStatuses; ++status) {
    const uint64_t count = by_status_[static_cast<size_t>(status)].load(std::memory_order_relaxed);
    if (count != 0) counts.emplace_back(status, count);
  }
  return counts;
}

uint64_t RequestCounters::Total() const {
  uint64_t total = 0;
  for (const auto& count : by_status_)
    total += count.load(std::memory_order_relaxed);
  return total + Unanswered();
}

void RequestCounters::Reset() {
  for (auto& count : by_status_)
    count.store(0, std::memory_order_relaxed);
  unanswered_.store(0, std::memory_order_relaxed);
}

}  // namespace skyflow::emulator
