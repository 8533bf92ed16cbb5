// MetricsSnapshot: the figures of the metrics page (/metrics, -metrics-addr)
// at one moment, as plain data: per vault, records and batches by outcome,
// requests by HTTP status code, the request latency histogram, requests in
// flight and the concurrency limit; for the process, its version, start time
// and resident memory. prometheus_text.h renders it. Nothing secret is part
// of it: vault names and counts only.
//
// LiveMetrics holds what a running load exposes: the vaults' counters, handed
// over once the load has set them up (LoadProgress::started). Watch() and
// Snapshot() may be called from different threads (a mutex guards the list;
// the counters are read with relaxed loads, so a snapshot sees each counter's
// latest value, not one instant of all of them).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/run_load.h"
#include "pipeline/vault_stats.h"

namespace skyflow {

struct VaultMetrics {
  std::string name;
  uint64_t rows_read = 0;
  // Records by outcome (the summary's names).
  uint64_t loaded = 0;
  uint64_t already_present = 0;
  uint64_t conflicts = 0;
  uint64_t failed = 0;
  uint64_t rejected = 0;
  uint64_t unsent = 0;
  // Batches, as the Go loader counts them.
  uint64_t batches_immediate = 0;
  uint64_t batches_retried = 0;
  uint64_t batches_failed = 0;
  uint64_t retries = 0;
  uint64_t lookups = 0;
  // (HTTP status, requests), by status; 0: no answer.
  std::vector<std::pair<int, uint64_t>> requests_by_status;
  // Request latency: (upper bound in seconds, requests answered within it),
  // bounds ascending, counts cumulative; the +Inf bucket is latency_count.
  std::vector<std::pair<double, uint64_t>> latency_buckets;
  double latency_sum_seconds = 0;
  uint64_t latency_count = 0;
  uint64_t in_flight = 0;
  uint64_t concurrency_limit = 0;
  uint64_t concurrency_ceiling = 0;
};

struct MetricsSnapshot {
  std::string version;
  double start_time_seconds = 0;
  uint64_t resident_memory_bytes = 0;
  std::vector<VaultMetrics> vaults;
};

// The figures of one vault's counters now. The latency histogram's 96
// buckets (four per doubling) are given at one bound per doubling, from
// 100 us (LatencyHistogram's bounds 0, 4, 8, ...): exact, as the counts are
// cumulative.
VaultMetrics VaultMetricsOf(const std::string& name, const VaultStats& stats);

// The loader's version ("0.1.0").
const char* LoaderVersion();

class LiveMetrics {
 public:
  // The vaults of `load`: their counters must stay until Freeze().
  void Watch(const LoadResult& load);
  // Keeps the watched vaults' figures as they are now and lets go of their
  // counters: the page goes on showing the final figures of a finished load.
  void Freeze();
  // Process figures now, and every watched vault's (none before Watch).
  MetricsSnapshot Snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, const VaultStats*>> vaults_;
  std::vector<VaultMetrics> frozen_;
};

}  // namespace skyflow
