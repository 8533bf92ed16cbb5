// RateLimiter: token buckets per vault, one in requests per second and one
// in records per second, as a vault's rate limits would be.
//
// A bucket holds up to rate x burst_seconds tokens and refills continuously.
// A request that finds too few tokens is refused with the time after which
// it would pass (the emulator sends it as Retry-After). A cost larger than
// the whole bucket passes when the bucket is full and leaves it in debt, so
// a 300-record request under a 100 records/s limit is slowed, not refused
// for ever. Thread-safe (one mutex: the limiter is off the fast path unless
// a limit is configured).
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>

#include "emulator/common/string_map.h"
#include "emulator/faults/fault_plan.h"

namespace skyflow::emulator {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(const RateLimitSpec& spec) : spec_(spec) {}

  // Takes one request token from `vault_id`'s bucket; false, with the wait,
  // when it is empty.
  bool AcquireRequest(std::string_view vault_id, Clock::time_point now,
                      std::chrono::milliseconds* retry_after);
  // Takes `records` record tokens.
  bool AcquireRecords(std::string_view vault_id, double records, Clock::time_point now,
                      std::chrono::milliseconds* retry_after);

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point refilled;
    bool started = false;
  };
  struct Buckets {
    Bucket requests;
    Bucket records;
  };
  bool Acquire(std::string_view vault_id, bool records_bucket, double rate, double cost,
               Clock::time_point now, std::chrono::milliseconds* retry_after);

  const RateLimitSpec spec_;
  std::mutex mutex_;
  StringMap<Buckets> buckets_;
};

}  // namespace skyflow::emulator
