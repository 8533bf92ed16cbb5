#include "pipeline/latency_histogram.h"

#include <algorithm>
#include <cmath>

namespace skyflow {
namespace {

constexpr double kFirstBoundMicros = 100.0;
constexpr double kBucketsPerDoubling = 4.0;

const std::array<uint64_t, LatencyHistogram::kBuckets>& Bounds() {
  static const std::array<uint64_t, LatencyHistogram::kBuckets> bounds = [] {
    std::array<uint64_t, LatencyHistogram::kBuckets> table{};
    for (size_t i = 0; i + 1 < table.size(); ++i) {
      table[i] = static_cast<uint64_t>(std::llround(
          kFirstBoundMicros * std::exp2(static_cast<double>(i) / kBucketsPerDoubling)));
    }
    table.back() = std::numeric_limits<uint64_t>::max();
    return table;
  }();
  return bounds;
}

}  // namespace

uint64_t LatencyHistogram::UpperBoundMicros(size_t bucket) {
  return Bounds()[std::min(bucket, kBuckets - 1)];
}

size_t LatencyHistogram::BucketOf(uint64_t micros) {
  const auto& bounds = Bounds();
  return static_cast<size_t>(std::lower_bound(bounds.begin(), bounds.end(), micros) -
                             bounds.begin());
}

void LatencyHistogram::Record(uint64_t micros) {
  counts_[BucketOf(micros)].fetch_add(1, std::memory_order_relaxed);
  uint64_t seen = min_.load(std::memory_order_relaxed);
  while (micros < seen && !min_.compare_exchange_weak(seen, micros, std::memory_order_relaxed)) {
  }
  seen = max_.load(std::memory_order_relaxed);
  while (micros > seen && !max_.compare_exchange_weak(seen, micros, std::memory_order_relaxed)) {
  }
}

LatencyHistogram::Counts LatencyHistogram::Snapshot() const {
  Counts counts{};
  for (size_t i = 0; i < kBuckets; ++i)
    counts[i] = counts_[i].load(std::memory_order_relaxed);
  return counts;
}

uint64_t LatencyHistogram::MinMicros() const {
  const uint64_t min = min_.load(std::memory_order_relaxed);
  return min == std::numeric_limits<uint64_t>::max() ? 0 : min;
}

uint64_t PercentileMicros(const LatencyHistogram::Counts& counts, double q) {
  uint64_t total = 0;
  for (uint64_t count : counts)
    total += count;
  if (total == 0) return 0;
  const auto rank = std::max<uint64_t>(
      1, static_cast<uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(total))));
  uint64_t seen = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    seen += counts[i];
    if (seen >= rank) {
      // The open last bucket has no upper bound: report where it starts.
      return i + 1 < counts.size() ? LatencyHistogram::UpperBoundMicros(i)
                                   : LatencyHistogram::UpperBoundMicros(i - 1);
    }
  }
  return LatencyHistogram::UpperBoundMicros(counts.size() - 2);
}

}  // namespace skyflow
