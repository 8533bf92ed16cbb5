#include "net/clock.h"

namespace skyflow {
namespace {

class MonotonicClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::steady_clock::now(); }
};

class CalendarClock final : public WallClock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace

Clock& SteadyClock() {
  static MonotonicClock clock;
  return clock;
}

WallClock& SystemWallClock() {
  static CalendarClock clock;
  return clock;
}

}  // namespace skyflow
