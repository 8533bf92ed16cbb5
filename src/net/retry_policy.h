// RetryPolicy: how long to wait before the next attempt of a failed request.
//
// Exponential backoff with full jitter (the wait is uniform in [0, ceiling],
// the ceiling doubling per retry up to a maximum) spreads retries of many
// concurrent requests instead of synchronising them into waves. A server's
// Retry-After is a floor: the request is never resent earlier than it asks,
// and a little jitter on top keeps the resends from arriving all at once.
// Immutable after construction; DelayBefore uses the caller's RNG, so one
// policy can serve several threads.
#pragma once

#include <chrono>
#include <optional>
#include <random>

namespace skyflow {

class RetryPolicy {
 public:
  RetryPolicy(int max_attempts, std::chrono::milliseconds base_delay,
              std::chrono::milliseconds max_delay);

  int max_attempts() const { return max_attempts_; }

  // Whether a request that has been attempted `attempts` times may go again.
  bool MayRetry(int attempts) const { return attempts < max_attempts_; }

  // Wait before retry number `retry` (1 for the first retry).
  std::chrono::milliseconds DelayBefore(int retry,
                                        std::optional<std::chrono::milliseconds> retry_after,
                                        std::mt19937_64& rng) const;

 private:
  int max_attempts_;
  std::chrono::milliseconds base_delay_;
  std::chrono::milliseconds max_delay_;
};

}  // namespace skyflow
