// SqlApiStats: the counters GET /emulator/v1/stats reports, for tests to
// check what a client did (a retried submit not executed twice, partitions
// fetched concurrently, faults played).
//
// max_concurrent_partition_requests counts partition requests whose
// answers overlapped in time, from when the handler started to when the
// answer left (its --partition-delay-ms included): with a delay, it shows
// how many partitions a client keeps in flight. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>

namespace skyflow::emulator::sqlapi {

class SqlApiStats {
 public:
  using Clock = std::chrono::steady_clock;

  std::atomic<uint64_t> statements_submitted{0};  // new statements accepted
  std::atomic<uint64_t> duplicate_submits{0};     // submits of a known requestId
  std::atomic<uint64_t> cancels{0};
  std::atomic<uint64_t> partitions_served{0};
  std::atomic<uint64_t> unauthorized{0};
  std::atomic<uint64_t> faults_injected{0};

  // A partition answer that occupied [start, end].
  void RecordPartitionRequest(Clock::time_point start, Clock::time_point end);

  // `statements_executed` is the executor's count.
  std::string ToJson(uint64_t statements_executed) const;

 private:
  mutable std::mutex mutex_;
  std::multiset<Clock::time_point> ends_;  // of the answers that may still overlap
  uint64_t max_concurrent_ = 0;
};

}  // namespace skyflow::emulator::sqlapi
