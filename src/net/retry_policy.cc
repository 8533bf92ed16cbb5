#include "net/retry_policy.h"

#include <algorithm>

namespace skyflow {

RetryPolicy::RetryPolicy(int max_attempts, std::chrono::milliseconds base_delay,
                         std::chrono::milliseconds max_delay)
    : max_attempts_(std::max(1, max_attempts)),
      base_delay_(std::max(base_delay, std::chrono::milliseconds(1))),
      max_delay_(std::max(max_delay, base_delay_)) {}

std::chrono::milliseconds RetryPolicy::DelayBefore(
    int retry, std::optional<std::chrono::milliseconds> retry_after, std::mt19937_64& rng) const {
  // base * 2^(retry-1), computed without overflow.
  int64_t ceiling = base_delay_.count();
  for (int i = 1; i < retry && ceiling < max_delay_.count(); ++i)
    ceiling *= 2;
  ceiling = std::min(ceiling, static_cast<int64_t>(max_delay_.count()));
  std::uniform_int_distribution<int64_t> jitter(0, ceiling);
  const std::chrono::milliseconds backoff(jitter(rng));
  if (!retry_after) return backoff;
  std::uniform_int_distribution<int64_t> spread(0, retry_after->count() / 10);
  return std::max(backoff, *retry_after) + std::chrono::milliseconds(spread(rng));
}

}  // namespace skyflow
