#include "emulator/faults/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace skyflow::emulator {

bool RateLimiter::AcquireRequest(std::string_view vault_id, Clock::time_point now,
                                 std::chrono::milliseconds* retry_after) {
  if (spec_.requests_per_second <= 0) return true;
  return Acquire(vault_id, false, spec_.requests_per_second, 1, now, retry_after);
}

bool RateLimiter::AcquireRecords(std::string_view vault_id, double records, Clock::time_point now,
                                 std::chrono::milliseconds* retry_after) {
  if (spec_.records_per_second <= 0 || records <= 0) return true;
  return Acquire(vault_id, true, spec_.records_per_second, records, now, retry_after);
}

bool RateLimiter::Acquire(std::string_view vault_id, bool records_bucket, double rate, double cost,
                          Clock::time_point now, std::chrono::milliseconds* retry_after) {
  const double capacity = std::max(1.0, rate * spec_.burst_seconds);
  std::lock_guard lock(mutex_);
  auto found = buckets_.find(vault_id);
  if (found == buckets_.end()) found = buckets_.emplace(std::string(vault_id), Buckets{}).first;
  Bucket& bucket = records_bucket ? found->second.records : found->second.requests;
  if (!bucket.started) {
    bucket.started = true;
    bucket.tokens = capacity;  // a fresh limit lets a first burst through
    bucket.refilled = now;
  } else if (now > bucket.refilled) {
    const double elapsed = std::chrono::duration<double>(now - bucket.refilled).count();
    bucket.tokens = std::min(capacity, bucket.tokens + elapsed * rate);
    bucket.refilled = now;
  }
  const bool full = bucket.tokens >= capacity;
  if (bucket.tokens >= cost || full) {
    bucket.tokens -= cost;
    return true;
  }
  // Time until the bucket holds the cost, or is full for a cost above it.
  const double needed = std::min(cost, capacity) - bucket.tokens;
  *retry_after = std::chrono::milliseconds(static_cast<int64_t>(std::ceil(needed / rate * 1000)));
  return false;
}

}  // namespace skyflow::emulator
