// LatencyHistogram: request latencies of one vault in fixed, log-spaced
// buckets (four per doubling, from 100 us to about 20 minutes), with the
// smallest and largest latency seen, for percentiles in progress lines and
// the summary. Record() is a handful of relaxed atomic operations, so the
// dispatcher's thread can call it for every answer while another thread
// reads; a reader sees each counter's latest value, not one consistent
// snapshot of all of them (fine for display).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace skyflow {

class LatencyHistogram {
 public:
  static constexpr size_t kBuckets = 96;
  using Counts = std::array<uint64_t, kBuckets>;

  void Record(uint64_t micros);

  Counts Snapshot() const;
  // 0 before the first Record().
  uint64_t MinMicros() const;
  uint64_t MaxMicros() const { return max_.load(std::memory_order_relaxed); }

  // Bucket i holds latencies in (UpperBound(i-1), UpperBound(i)]; bucket 0
  // everything up to 100 us; the last one everything above the bound before.
  static uint64_t UpperBoundMicros(size_t bucket);
  static size_t BucketOf(uint64_t micros);

 private:
  std::array<std::atomic<uint64_t>, kBuckets> counts_{};
  std::atomic<uint64_t> min_{std::numeric_limits<uint64_t>::max()};
  std::atomic<uint64_t> max_{0};
};

// The latency at or below which a fraction `q` (0 < q <= 1) of the requests
// were answered, as the upper bound of the bucket where that rank falls (an
// overestimate by at most one bucket, 19%); 0 when `counts` is empty.
uint64_t PercentileMicros(const LatencyHistogram::Counts& counts, double q);

}  // namespace skyflow
