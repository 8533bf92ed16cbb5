#include "emulator/sqlapi/sqlapi_stats.h"

#include <algorithm>

#include "util/json_writer.h"

namespace skyflow::emulator::sqlapi {

void SqlApiStats::RecordPartitionRequest(Clock::time_point start, Clock::time_point end) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Answers recorded in about the order they started: those that ended
  // before this one started cannot overlap it or any later one.
  ends_.erase(ends_.begin(), ends_.upper_bound(start));
  ends_.insert(end);
  max_concurrent_ = std::max<uint64_t>(max_concurrent_, ends_.size());
}

std::string SqlApiStats::ToJson(uint64_t statements_executed) const {
  uint64_t max_concurrent = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    max_concurrent = max_concurrent_;
  }
  std::string body;
  JsonWriter json(&body);
  json.BeginObject()
      .Field("statements_submitted", statements_submitted.load())
      .Field("statements_executed", statements_executed)
      .Field("duplicate_submits", duplicate_submits.load())
      .Field("cancels", cancels.load())
      .Field("partitions_served", partitions_served.load())
      .Field("unauthorized", unauthorized.load())
      .Field("faults_injected", faults_injected.load())
      .Field("max_concurrent_partition_requests", max_concurrent)
      .EndObject();
  return body;
}

}  // namespace skyflow::emulator::sqlapi
