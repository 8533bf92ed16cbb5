// Clock: where time comes from, so that code which waits (retry backoff,
// Retry-After pauses, concurrency windows, pacing) can be tested with a
// clock the test advances. SteadyClock() is the real one; thread-safe.
//
// WallClock: the calendar time, for what another machine checks against its
// own calendar (a signed token's issue and expiry times), with a clock a
// test sets. SystemWallClock() is the real one; thread-safe.
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

class WallClock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  virtual ~WallClock() = default;
  virtual TimePoint Now() const = 0;
};

// The system's calendar clock.
WallClock& SystemWallClock();

inline double ToSeconds(Clock::Duration duration) {
  return std::chrono::duration<double>(duration).count();
}

}  // namespace skyflow
