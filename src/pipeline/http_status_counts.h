// HttpStatusCounts: how many requests of one vault got each HTTP status code,
// for the metrics page (requests by code). Status 0 stands for a request that
// got no answer (refused, reset, timed out), as in the error log; a status
// outside 100-999 (libcurl reads three digits) is counted as 0 too.
// Add() is one relaxed atomic increment, so the dispatcher's thread can call
// it for every answer while another thread takes a Snapshot(); a snapshot
// sees each counter's latest value, not one consistent instant of all.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <utility>
#include <vector>

namespace skyflow {

class HttpStatusCounts {
 public:
  static constexpr long kSlots = 1000;

  void Add(long status) {
    const long slot = status >= 100 && status < kSlots ? status : 0;
    counts_[static_cast<size_t>(slot)].fetch_add(1, std::memory_order_relaxed);
  }

  // (status, count) for every status seen at least once, by status.
  std::vector<std::pair<int, uint64_t>> Snapshot() const {
    std::vector<std::pair<int, uint64_t>> seen;
    for (size_t slot = 0; slot < counts_.size(); ++slot) {
      const uint64_t count = counts_[slot].load(std::memory_order_relaxed);
      if (count > 0) seen.emplace_back(static_cast<int>(slot), count);
    }
    return seen;
  }

 private:
  std::array<std::atomic<uint64_t>, kSlots> counts_{};
};

}  // namespace skyflow
