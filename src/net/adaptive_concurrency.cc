#include "net/adaptive_concurrency.h"

#include <algorithm>
#include <cmath>

namespace skyflow {
namespace {

// A window lasts about one usual round trip, but not less than this, so that
// a server answering in microseconds does not make every answer a window.
constexpr double kMinWindowSeconds = 0.005;
constexpr double kMinRttTolerance = 0.05;
// A window whose RTT is this many times the lowest seen is queueing in the
// server: the limit holds instead of growing.
constexpr double kQueueingFactor = 1.5;
// The lowest RTT is forgotten slowly (it may rise this much per second), so
// that a lasting change of path or server is learnt rather than read as
// queueing for ever.
constexpr double kBaseRttDriftPerSecond = 0.01;

}  // namespace

AdaptiveConcurrency::AdaptiveConcurrency(const AdaptiveConcurrencyOptions& options)
    : options_(options) {
  options_.ceiling = std::max<size_t>(1, options_.ceiling);
  limit_ = static_cast<double>(std::clamp<size_t>(options_.initial, 1, options_.ceiling));
}

size_t AdaptiveConcurrency::Limit() const {
  return std::max<size_t>(1, static_cast<size_t>(limit_));
}

void AdaptiveConcurrency::OnSend(Clock::TimePoint now, size_t in_flight) {
  if (!window_open_) {
    window_open_ = true;
    const double length = std::max(kMinWindowSeconds, usual_rtt_);
    window_end_ =
        now + std::chrono::duration_cast<Clock::Duration>(std::chrono::duration<double>(length));
  }
  if (in_flight >= Limit()) window_reached_limit_ = true;
}

void AdaptiveConcurrency::OnAnswer(Clock::TimePoint now, Clock::Duration rtt, LoadSignal signal) {
  switch (signal) {
    case LoadSignal::kBackPressure:
      window_back_pressure_ = true;
      break;
    case LoadSignal::kHealthy:
      window_rtt_sum_ += ToSeconds(rtt);
      ++window_answers_;
      break;
    case LoadSignal::kNoSignal:
      break;
  }
  if (window_open_ && now >= window_end_) EndWindow(now);
}

void AdaptiveConcurrency::EndWindow(Clock::TimePoint now) {
  const double ceiling = static_cast<double>(options_.ceiling);
  const bool measured = window_answers_ > 0;
  const double window_rtt = measured ? window_rtt_sum_ / static_cast<double>(window_answers_) : 0;
  // A floor on the tolerance keeps the first windows, whose deviation is
  // still near zero, from reading ordinary jitter as congestion.
  const double tolerance =
      std::max(options_.rtt_deviation_scale * rtt_deviation_, kMinRttTolerance * usual_rtt_);
  const bool rtt_rising = measured && usual_rtt_ >= 0 && window_rtt > usual_rtt_ + tolerance;

  const bool queueing = measured && base_rtt_ > 0 && window_rtt > kQueueingFactor * base_rtt_;

  if (window_back_pressure_ || (window_reached_limit_ && rtt_rising)) {
    limit_ = std::max(1.0, limit_ * options_.decrease_ratio);
  } else if (window_reached_limit_ && !queueing) {
    limit_ = std::min(ceiling, limit_ + 1);
  }
  if (measured && !window_back_pressure_) {
    if (base_rtt_ < 0) {
      base_rtt_ = window_rtt;
    } else {
      const double drift = 1 + kBaseRttDriftPerSecond * ToSeconds(now - base_rtt_at_);
      base_rtt_ = std::min(window_rtt, base_rtt_ * drift);
    }
    base_rtt_at_ = now;
  }

  if (measured && !window_back_pressure_) {
    if (usual_rtt_ < 0) {
      usual_rtt_ = window_rtt;
    } else {
      const double alpha = options_.ewma_alpha;
      rtt_deviation_ = (1 - alpha) * rtt_deviation_ + alpha * std::fabs(window_rtt - usual_rtt_);
      usual_rtt_ = (1 - alpha) * usual_rtt_ + alpha * window_rtt;
    }
  }
  window_open_ = false;
  window_rtt_sum_ = 0;
  window_answers_ = 0;
  window_reached_limit_ = false;
  window_back_pressure_ = false;
}

}  // namespace skyflow
