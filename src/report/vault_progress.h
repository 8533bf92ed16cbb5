// VaultProgress: one vault's counters at one moment, copied out of its
// VaultStats (relaxed loads; the load keeps running), for the live displays.
// Plain values, so the formatters are pure functions of them; tests build
// them by hand.
//
// "Done" counts rows this run has finished with, whatever their outcome:
// rejected, loaded, already present, conflicts, failed or unsent. The total
// to compare it with is known exactly once the input has been read to its
// end; before that it is estimated from the bytes the rows read so far took
// (a CSV file's size divided by bytes per row), or unknown.
#pragma once

#include <cstdint>
#include <string>

#include "pipeline/run_load.h"

namespace skyflow {

struct VaultProgress {
  std::string name;
  uint64_t rows_read = 0;
  uint64_t rejected = 0;
  uint64_t loaded = 0;
  uint64_t already_present = 0;
  uint64_t conflicts = 0;
  uint64_t failed = 0;
  uint64_t unsent = 0;
  uint64_t requests = 0;
  uint64_t retries = 0;
  uint64_t throttled = 0;
  uint64_t latency_micros_total = 0;
  uint64_t latency_min_micros = 0;
  uint64_t latency_max_micros = 0;
  uint64_t batches_immediate = 0;
  uint64_t batches_retried = 0;
  uint64_t batches_failed = 0;
  uint64_t in_flight = 0;
  uint64_t limit = 0;
  uint64_t ceiling = 0;
  uint64_t bytes_total = 0;  // 0: the source cannot say
  uint64_t bytes_start = 0;
  uint64_t bytes_read = 0;
  bool input_done = false;

  uint64_t done() const {
    return rejected + loaded + already_present + conflicts + failed + unsent;
  }
};

VaultProgress ProgressOf(const VaultLoadResult& vault);

enum class TotalKind { kUnknown, kEstimated, kExact };

struct RowTotal {
  TotalKind kind = TotalKind::kUnknown;
  uint64_t rows = 0;
};

// The rows this run will read: exact once the input is read, else estimated
// from bytes per row (never below the rows read so far), capped by
// `max_rows` (-max-records; 0 = none).
RowTotal EstimateTotal(const VaultProgress& vault, uint64_t max_rows);

}  // namespace skyflow
