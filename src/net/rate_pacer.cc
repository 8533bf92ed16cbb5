#include "net/rate_pacer.h"

#include <algorithm>
#include <cmath>

namespace skyflow {
namespace {

Clock::Duration FromSeconds(double seconds) {
  return std::chrono::duration_cast<Clock::Duration>(std::chrono::duration<double>(seconds));
}

}  // namespace

double RatePacer::Rate(Clock::TimePoint now) const {
  if (!active_) return 0;
  const double since = std::max(0.0, ToSeconds(now - episode_end_));
  return base_rate_ * std::pow(1 + options_.growth_per_second, since);
}

void RatePacer::OnSend(Clock::TimePoint now, double cost) {
  if (!started_set_) {
    started_set_ = true;
    started_ = now;
    episode_start_ = now;
  }
  if (!active_) return;
  // No credit for idle time beyond one send: an idle spell must not turn
  // into a burst.
  next_send_ = std::max(next_send_, now) + FromSeconds(cost / Rate(now));
}

void RatePacer::OnThrottled(Clock::TimePoint now, Clock::TimePoint pause_until) {
  if (active_ && now < episode_end_) return;  // the same burst of 429s
  const double measured_over = ToSeconds(now - episode_start_);
  double rate = 0;
  if (measured_over >= options_.min_measure_seconds && accepted_since_episode_ > 0) {
    rate = accepted_since_episode_ / measured_over;
    // A measurement may be low for reasons other than a limit (sparse 429s
    // whose pauses dominate the time): one episode lowers the rate by
    // decrease_ratio at most, so only a repeated verdict pulls it down.
    if (active_) rate = std::max(rate, Rate(now) * options_.decrease_ratio);
  } else if (active_) {
    rate = Rate(now) * options_.decrease_ratio;
  }
  if (rate > 0) {
    base_rate_ = std::max(options_.min_rate, rate);
    active_ = true;
  }
  episode_start_ = now;
  // 429s answering requests sent before the pause ends belong to this burst.
  episode_end_ = std::max(pause_until, now);
  accepted_since_episode_ = 0;
  next_send_ = std::max(next_send_, episode_end_);
}

}  // namespace skyflow
