#include "report/vault_progress.h"

#include <algorithm>
#include <cmath>

#include "net/clock.h"

namespace skyflow {

VaultProgress ProgressOf(const VaultLoadResult& vault) {
  const VaultStats& stats = *vault.stats;
  VaultProgress progress;
  progress.name = vault.name;
  progress.rows_read = LoadRelaxed(stats.rows_read);
  progress.rejected = LoadRelaxed(stats.rejected);
  progress.loaded = LoadRelaxed(stats.loaded);
  progress.already_present = LoadRelaxed(stats.already_present);
  progress.conflicts = LoadRelaxed(stats.conflicts);
  progress.failed = LoadRelaxed(stats.failed);
  progress.unsent = LoadRelaxed(stats.unsent);
  progress.requests = LoadRelaxed(stats.requests);
  progress.retries = LoadRelaxed(stats.retries);
  progress.throttled = LoadRelaxed(stats.throttled);
  progress.latency_micros_total = LoadRelaxed(stats.latency_micros_total);
  progress.latency_min_micros = stats.latency.MinMicros();
  progress.latency_max_micros = stats.latency.MaxMicros();
  progress.batches_immediate = LoadRelaxed(stats.batches_immediate);
  progress.batches_retried = LoadRelaxed(stats.batches_retried);
  progress.batches_failed = LoadRelaxed(stats.batches_failed);
  progress.in_flight = LoadRelaxed(stats.in_flight);
  progress.limit = LoadRelaxed(stats.concurrency_limit);
  progress.ceiling = LoadRelaxed(stats.concurrency_ceiling);
  progress.bytes_total = LoadRelaxed(stats.source_bytes_total);
  progress.bytes_start = LoadRelaxed(stats.source_bytes_start);
  progress.bytes_read = LoadRelaxed(stats.source_bytes_read);
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
    total.rows = vault.rows_read + static_cast<uint64_t>(std::llround(bytes_left / bytes_per_row));
  }
  if (max_rows > 0 && (total.kind == TotalKind::kUnknown || total.rows > max_rows)) {
    total.kind = TotalKind::kEstimated;
    total.rows = max_rows;
  }
  return total;
}

}  // namespace skyflow
