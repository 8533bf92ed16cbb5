// AdaptiveConcurrency: an AIMD concurrency limit in the manner of Vector's
// adaptive request concurrency.
//
// Time is cut into windows of about one round trip. At the end of a window:
//   - back-pressure seen (429, 503, timeout), or the window's mean RTT above
//     the usual RTT by more than `rtt_deviation_scale` deviations while the
//     limit was reached: limit x decrease_ratio (once per window, however
//     many answers said so);
//   - otherwise, if the limit was reached during the window and the RTT is
//     within 1.5 times the lowest seen (requests are not queueing in the
//     server): limit + 1;
//   - otherwise (the load did not need more): unchanged.
// The usual RTT and its deviation are moving averages of past windows
// without back-pressure. The limit starts at `initial` and stays within
// [1, ceiling]; `-concurrency N` is the ceiling, so "at most N in flight"
// keeps its meaning. Not thread-safe.
#pragma once

#include <cstddef>

#include "net/concurrency_limiter.h"

namespace skyflow {

struct AdaptiveConcurrencyOptions {
  size_t ceiling = 32;
  size_t initial = 1;
  double decrease_ratio = 0.9;
  double ewma_alpha = 0.4;
  double rtt_deviation_scale = 2.5;
};

class AdaptiveConcurrency final : public ConcurrencyLimiter {
 public:
  explicit AdaptiveConcurrency(const AdaptiveConcurrencyOptions& options);

  size_t Limit() const override;
  void OnSend(Clock::TimePoint now, size_t in_flight) override;
  void OnAnswer(Clock::TimePoint now, Clock::Duration rtt, LoadSignal signal) override;

  // The limit with its fraction (for tests and reports).
  double exact_limit() const { return limit_; }

 private:
  void EndWindow(Clock::TimePoint now);

  AdaptiveConcurrencyOptions options_;
  double limit_;
  // Moving average of past windows' mean RTT, in seconds, and of the
  // absolute difference to it; negative until the first window.
  double usual_rtt_ = -1;
  double rtt_deviation_ = 0;
  // The lowest window RTT seen, slowly forgotten; negative until the first.
  double base_rtt_ = -1;
  Clock::TimePoint base_rtt_at_{};
  // The current window.
  bool window_open_ = false;
  Clock::TimePoint window_end_{};
  double window_rtt_sum_ = 0;
  size_t window_answers_ = 0;
  bool window_reached_limit_ = false;
  bool window_back_pressure_ = false;
};

}  // namespace skyflow
