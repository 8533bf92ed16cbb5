// RatePacer: spaces one vault's sends once the vault has said it is rate
// limited, so that a load runs just under the limit instead of bouncing off
// it.
//
// Concurrency alone cannot find a rate limit: a token bucket answers 429 at
// once, so round-trip times never rise, and its burst lets any concurrency
// through for a while. The pacer learns the rate instead. It stays idle
// until the first 429 (an "episode": the 429s of one burst count once).
// At each episode it sets its rate to what the vault actually accepted since
// the previous one (the time includes the pause the vault asked for, during
// which a token bucket refills, so this is the rate the vault sustains), but
// lowers it by at most `decrease_ratio` per episode (sparse 429s, whose
// pauses dominate the time, would otherwise read as an ever lower limit);
// between episodes it raises the rate by `growth_per_second` (compounded) to
// find out whether the limit has gone up. Sends are spaced by cost / rate,
// cost being records.
// Not thread-safe: one pacer per vault, on the dispatcher's thread.
#pragma once

#include <cstdint>

#include "net/clock.h"

namespace skyflow {

struct RatePacerOptions {
  double growth_per_second = 0.05;
  // A rate measured over less time than this is noise; the pacer then only
  // lowers its rate by `decrease_ratio`.
  double min_measure_seconds = 0.5;
  double decrease_ratio = 0.9;
  double min_rate = 1;  // cost units per second
};

class RatePacer {
 public:
  explicit RatePacer(const RatePacerOptions& options = {}) : options_(options) {}

  bool active() const { return active_; }

  // The current rate in cost units per second; 0 while inactive.
  double Rate(Clock::TimePoint now) const;

  // When the next send of any cost may go (`now` or earlier: at once).
  Clock::TimePoint NextSend() const { return next_send_; }

  void OnSend(Clock::TimePoint now, double cost);
  // The vault accepted `cost` units.
  void OnAccepted(double cost) { accepted_since_episode_ += cost; }
  // The vault answered 429. `pause_until` is when it asked us to come back.
  void OnThrottled(Clock::TimePoint now, Clock::TimePoint pause_until);

 private:
  RatePacerOptions options_;
  bool active_ = false;
  Clock::TimePoint started_{};
  bool started_set_ = false;
  Clock::TimePoint episode_start_{};  // when the last episode began
  Clock::TimePoint episode_end_{};    // 429s before this belong to it
  double base_rate_ = 0;              // the rate set at the last episode
  double accepted_since_episode_ = 0;
  Clock::TimePoint next_send_{};
};

}  // namespace skyflow
