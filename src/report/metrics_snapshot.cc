#include "report/metrics_snapshot.h"

#include "report/resource_usage.h"

#ifndef SKYFLOW_LOADER_VERSION
#error "SKYFLOW_LOADER_VERSION is defined by src/report/CMakeLists.txt"
#endif

namespace skyflow {
namespace {

// One histogram bound per doubling: every fourth of LatencyHistogram's.
constexpr size_t kBucketStride = 4;

}  // namespace

VaultMetrics VaultMetricsOf(const std::string& name, const VaultStats& stats) {
  VaultMetrics vault;
  vault.name = name;
  vault.rows_read = LoadRelaxed(stats.rows_read);
  vault.loaded = LoadRelaxed(stats.loaded);
  vault.already_present = LoadRelaxed(stats.already_present);
  vault.conflicts = LoadRelaxed(stats.conflicts);
  vault.failed = LoadRelaxed(stats.failed);
  vault.rejected = LoadRelaxed(stats.rejected);
  vault.unsent = LoadRelaxed(stats.unsent);
  vault.batches_immediate = LoadRelaxed(stats.batches_immediate);
  vault.batches_retried = LoadRelaxed(stats.batches_retried);
  vault.batches_failed = LoadRelaxed(stats.batches_failed);
  vault.retries = LoadRelaxed(stats.retries);
  vault.lookups = LoadRelaxed(stats.lookups);
  vault.requests_by_status = stats.statuses.Snapshot();
  const LatencyHistogram::Counts counts = stats.latency.Snapshot();
  uint64_t cumulative = 0;
  for (size_t bucket = 0; bucket < counts.size(); ++bucket) {
    cumulative += counts[bucket];
    // The last bucket has no finite bound: it is the +Inf bucket.
    if (bucket % kBucketStride == 0 && bucket + 1 < counts.size()) {
      vault.latency_buckets.emplace_back(
          static_cast<double>(LatencyHistogram::UpperBoundMicros(bucket)) / 1e6, cumulative);
    }
  }
  vault.latency_count = cumulative;
  vault.latency_sum_seconds = static_cast<double>(LoadRelaxed(stats.latency_micros_total)) / 1e6;
  vault.in_flight = LoadRelaxed(stats.in_flight);
  vault.concurrency_limit = LoadRelaxed(stats.concurrency_limit);
  vault.concurrency_ceiling = LoadRelaxed(stats.concurrency_ceiling);
  return vault;
}

const char* LoaderVersion() {
  return SKYFLOW_LOADER_VERSION;
}

void LiveMetrics::Watch(const LoadResult& load) {
  std::lock_guard lock(mutex_);
  vaults_.clear();
  frozen_.clear();
  for (const VaultLoadResult& vault : load.vaults)
    vaults_.emplace_back(vault.name, vault.stats.get());
}

void LiveMetrics::Freeze() {
  std::lock_guard lock(mutex_);
  for (const auto& [name, stats] : vaults_)
    frozen_.push_back(VaultMetricsOf(name, *stats));
  vaults_.clear();
}

MetricsSnapshot LiveMetrics::Snapshot() const {
  MetricsSnapshot snapshot;
  snapshot.version = LoaderVersion();
  snapshot.start_time_seconds = ProcessStartTimeSeconds();
  snapshot.resident_memory_bytes = CurrentResidentBytes();
  std::lock_guard lock(mutex_);
  snapshot.vaults = frozen_;
  for (const auto& [name, stats] : vaults_)
    snapshot.vaults.push_back(VaultMetricsOf(name, *stats));
  return snapshot;
}

}  // namespace skyflow
