#include "report/vault_progress.h"

#include <algorithm>

namespace skyflow {
namespace {

uint64_t Load(const std::atomic<uint64_t>& counter) {
  return counter.load(std::memory_order_relaxed);
}

}  // namespace

VaultProgress ProgressOf(const VaultLoadResult& vault) {
  const VaultStats& stats = *vault.stats;
  VaultProgress progress;
  progress.name = vault.name;
  progress.rows_read = Load(stats.rows_read);
  progress.rejected = Load(stats.rejected);
  progress.loaded = Load(stats.loaded);
  progress.already_present = Load(stats.already_present);
  progress.conflicts = Load(stats.conflicts);
  progress.failed = Load(stats.failed);
  progress.unsent = Load(stats.unsent);
  progress.requests = Load(stats.requests);
  progress.retries = Load(stats.retries);
  progress.throttled = Load(stats.throttled);
  progress.latency_micros_total = Load(stats.latency_micros_total);
  progress.latency_min_micros = stats.latency.MinMicros();
  progress.latency_max_micros = stats.latency.MaxMicros();
  progress.batches_immediate = Load(stats.batches_immediate);
  progress.batches_retried = Load(stats.batches_retried);
  progress.batches_failed = Load(stats.batches_failed);
  progress.in_flight = Load(stats.in_flight);
  progress.limit = Load(stats.concurrency_limit);
  progress.ceiling = Load(stats.concurrency_ceiling);
  progress.bytes_total = Load(stats.source_bytes_total);
  progress.bytes_start = Load(stats.source_bytes_start);
  progress.bytes_read = Load(stats.source_bytes_read);
  progress.input_done = stats.input_done.load(std::memory_order_relaxed);
  return progress;
}

RowTotal EstimateTotal(const VaultProgress& vault, uint64_t max_rows) {
  if (vault.input_done) return {TotalKind::kExact, vault.rows_read};
  RowTotal total;
  if (vault.bytes_total > 0 && vault.rows_read > 0 && vault.bytes_read > vault.bytes_start) {
    const double bytes_per_row =
        static_cast<double>(vault.bytes_read - vault.bytes_start) / vault.rows_read;
    const uint64_t bytes_left =
        vault.bytes_total > vault.bytes_read ? vault.bytes_total - vault.bytes_read : 0;
    total.kind = TotalKind::kEstimated;
    total.rows = vault.rows_read + static_cast<uint64_t>(bytes_left / bytes_per_row + 0.5);
  }
  if (max_rows > 0 && (total.kind == TotalKind::kUnknown || total.rows > max_rows)) {
    total.kind = TotalKind::kEstimated;
    total.rows = max_rows;
  }
  return total;
}

}  // namespace skyflow
