// VaultStats: the counters of one vault's load. Every record read ends up in
// exactly one of loaded, conflicts, failed, rejected or unsent, so that
//   records_read + rejected == rows_read and
//   records_read == loaded + conflicts + failed + unsent
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
  std::atomic<uint64_t> loaded{0};     // confirmed stored by the vault
  std::atomic<uint64_t> conflicts{0};  // refused: token or value already present
  std::atomic<uint64_t> failed{0};     // refused otherwise, or retries exhausted
  std::atomic<uint64_t> unsent{0};     // never answered: the run or vault stopped
  // Dispatcher side, batches and requests.
  std::atomic<uint64_t> batches_immediate{0};  // loaded at the first attempt
  std::atomic<uint64_t> batches_retried{0};    // loaded after one or more retries
  std::atomic<uint64_t> batches_failed{0};     // ended in conflicts or failed
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> retries{0};
  std::atomic<uint64_t> throttled{0};         // 429 answers
  std::atomic<uint64_t> server_errors{0};     // 5xx and 408 answers
  std::atomic<uint64_t> transport_errors{0};  // no answer: refused, reset, timeout
  std::atomic<uint64_t> latency_micros_total{0};
};

}  // namespace skyflow
