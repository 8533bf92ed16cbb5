// Clock: where time comes from, so that code which waits (retry backoff,
// Retry-After pauses, concurrency windows, pacing) can be tested with a
// clock the test advances. SteadyClock() is the real one; thread-safe.
#pragma once

#include <chrono>

namespace skyflow {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;

  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

// The process's monotonic clock.
Clock& SteadyClock();

inline double ToSeconds(Clock::Duration duration) {
  return std::chrono::duration<double>(duration).count();
}

}  // namespace skyflow
