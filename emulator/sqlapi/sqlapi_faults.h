// SqlApiFaults: the failures the SQL API emulator plays on demand, each
// drawn independently with its probability from one generator seeded by
// --seed (so a run is reproducible when requests arrive in the same order).
//
//   submit_429         429 + Retry-After: 1 before the statement is accepted
//   submit_503         503 after the statement was accepted and queued: only
//                      a retry with the same requestId avoids running it twice
//   partition_503      503 instead of a partition
//   partition_drop     the connection closed without an answer (FIN)
//   partition_delay    every partition answered this much later (not drawn)
// Thread-safe (draws under a lock: requests are few, a lock costs nothing).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

#include "emulator/common/random.h"

namespace skyflow::emulator::sqlapi {

struct SqlApiFaultRates {
  double submit_429 = 0;
  double submit_503 = 0;
  double partition_503 = 0;
  double partition_drop = 0;
  std::chrono::milliseconds partition_delay{0};
};

class SqlApiFaults {
 public:
  SqlApiFaults(const SqlApiFaultRates& rates, uint64_t seed) : rates_(rates), random_(seed) {}

  const SqlApiFaultRates& rates() const { return rates_; }
  // True with probability `rate` (never draws for 0, so faults that are off
  // leave the sequence of the others unchanged).
  bool Draw(double rate);

 private:
  const SqlApiFaultRates rates_;
  std::mutex mutex_;
  Random random_;
};

}  // namespace skyflow::emulator::sqlapi
