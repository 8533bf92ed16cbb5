// The Go loader's progress lines, for output that is not a terminal (CI
// logs, tee, -offline), so that dashboards reading them keep working:
//
//   [LIVE] Workers: 32/32 | HTTP: 28 in-flight | Req: 15/s | Rec: 1450/s |
//     Latency: avg=1280ms min=108ms max=3800ms | 429s: 0        (every 3 s)
//   Progress: 50000/100000 records (50.0%) - 1298 records/sec | Batches:
//     500✅ (498 immediate, 2 retried) 0❌ (100% success) | 429s: 0
//                                        (each 1%, or each 10,000 records)
// (each one line). Our figures, in the Go loader's words: Workers = the
// concurrency limit in force / -concurrency; HTTP = requests in flight;
// Req/s and Rec/s (rows done, whatever their outcome) and the average
// latency over the last interval, min and max latency since the start;
// records/sec = rows done per second since the start; Batches = groups of
// records settled together (VaultStats): in the vault after their task's
// first request / after resends, and failed or in conflict. A total that is only estimated (from
// the input's size) is written "~N"; an unknown one is left out ("Progress: N records
// - ..."), and the line comes every 10,000 records. With more than one vault
// each line ends with " | Vault: NAME".
//
// The formatters are pure; GoProgressReporter keeps the cadence. Not
// thread-safe: one reporting thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "report/vault_progress.h"

namespace skyflow {

struct GoLiveFigures {
  uint64_t workers_active = 0;
  uint64_t workers_total = 0;
  uint64_t in_flight = 0;
  double requests_per_second = 0;
  double records_per_second = 0;
  uint64_t latency_avg_ms = 0;
  uint64_t latency_min_ms = 0;
  uint64_t latency_max_ms = 0;
  uint64_t throttled = 0;
};

struct GoProgressFigures {
  uint64_t done = 0;
  RowTotal total;
  double records_per_second = 0;
  uint64_t batches_immediate = 0;
  uint64_t batches_retried = 0;
  uint64_t batches_failed = 0;
  uint64_t throttled = 0;
};

// Without the newline; `vault` empty: no vault suffix.
std::string FormatGoLiveLine(const GoLiveFigures& figures, const std::string& vault = "");
std::string FormatGoProgressLine(const GoProgressFigures& figures, const std::string& vault = "");

class GoProgressReporter {
 public:
  // `max_rows`: -max-records (0 = none), for the totals.
  explicit GoProgressReporter(uint64_t max_rows, double live_interval_seconds = 3.0)
      : max_rows_(max_rows), live_interval_(live_interval_seconds) {}

  // The lines due at `seconds` since the start (each ending in '\n').
  std::string Tick(double seconds, const std::vector<VaultProgress>& vaults);
  // At the end: a last Progress line for each vault whose last one is stale.
  std::string Finish(double seconds, const std::vector<VaultProgress>& vaults);

 private:
  struct Seen {
    uint64_t requests = 0;
    uint64_t done = 0;
    uint64_t latency_micros = 0;
    uint64_t progress_step = 0;  // percent, or tens of thousands of rows
    uint64_t progress_done = 0;  // rows done at the last Progress line
  };

  std::string ProgressLine(double seconds, const VaultProgress& vault, bool several) const;
  Seen& SeenFor(size_t index);

  const uint64_t max_rows_;
  const double live_interval_;
  double last_live_ = 0;
  std::vector<Seen> seen_;
};

}  // namespace skyflow
