// VaultStats: the counters of one vault's load. Every row read ends up in
// exactly one of rejected (by the source), loaded, already present,
// conflicts, failed or unsent, so that
//   rows_read == rejected + records_read and
//   records_read == loaded + already_present + conflicts + failed + unsent
// hold at the end of a run (tests check this).
// Counters are atomics: the producer, the dispatcher and a progress reporter
// touch them from different threads.
#pragma once

#include <atomic>
#include <cstdint>

namespace skyflow {

struct VaultStats {
  // Producer side.
  std::atomic<uint64_t> rows_read{0};     // rows taken from the source
  std::atomic<uint64_t> records_read{0};  // rows that became sendable records
  std::atomic<uint64_t> rejected{0};      // rows that could not (empty, bad UTF-8)
  // Dispatcher side, records.
  std::atomic<uint64_t> loaded{0};           // stored by this run
  std::atomic<uint64_t> already_present{0};  // the same pair was stored before
  std::atomic<uint64_t> conflicts{0};        // token or value stored with another partner
  std::atomic<uint64_t> failed{0};           // refused, or retries given up
  std::atomic<uint64_t> unsent{0};           // never settled: the run or vault stopped
  // Dispatcher side, requests.
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> retries{0};           // requests answered such that they go again
  std::atomic<uint64_t> throttled{0};         // 429 answers
  std::atomic<uint64_t> unavailable{0};       // 503 answers
  std::atomic<uint64_t> server_errors{0};     // other 5xx and 408 answers
  std::atomic<uint64_t> transport_errors{0};  // no answer: refused, reset, timeout
  std::atomic<uint64_t> lookups{0};           // requests that looked records up
  std::atomic<uint64_t> latency_micros_total{0};
  // Concurrency, refreshed by the dispatcher's thread.
  std::atomic<uint64_t> in_flight{0};
  std::atomic<uint64_t> concurrency_limit{0};
};

}  // namespace skyflow
