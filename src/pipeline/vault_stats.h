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

#include "pipeline/http_status_counts.h"
#include "pipeline/latency_histogram.h"

namespace skyflow {

// A counter's value now, for reports: relaxed, as the counters keep moving.
inline uint64_t LoadRelaxed(const std::atomic<uint64_t>& counter) {
  return counter.load(std::memory_order_relaxed);
}

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
  LatencyHistogram latency;   // min, max and percentiles
  HttpStatusCounts statuses;  // requests by HTTP status code (0: no answer)
  // "Batches", as the Go loader counts them: groups of records settled
  // together (a batch, or the part of one that met one outcome): in the
  // vault after the first request of their task, after resends, and failed
  // or in conflict.
  std::atomic<uint64_t> batches_immediate{0};
  std::atomic<uint64_t> batches_retried{0};
  std::atomic<uint64_t> batches_failed{0};
  // Concurrency, refreshed by the dispatcher's thread.
  std::atomic<uint64_t> in_flight{0};
  std::atomic<uint64_t> concurrency_limit{0};
  std::atomic<uint64_t> concurrency_ceiling{0};  // -concurrency
  // How far the producer is through its input, for progress estimates
  // (RecordSource::SizeHint): 0 total when the source cannot say.
  std::atomic<uint64_t> source_bytes_total{0};
  std::atomic<uint64_t> source_bytes_start{0};  // where this run began reading
  std::atomic<uint64_t> source_bytes_read{0};
  std::atomic<bool> input_done{false};  // the producer read its last row
  // Time the producer spent reading the source and building request bodies.
  std::atomic<uint64_t> producer_micros{0};
};

}  // namespace skyflow
