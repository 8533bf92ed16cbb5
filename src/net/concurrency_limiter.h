// ConcurrencyLimiter: how many requests one vault may have in flight.
//
// The dispatcher asks Limit() before each send, and tells the limiter about
// every send and every answer; the limiter decides nothing else. Two kinds:
//   FixedConcurrency      always the configured number (the Go loader's model)
//   AdaptiveConcurrency   AIMD on round-trip time and back-pressure
// Not thread-safe: one limiter per vault, used from the dispatcher's thread.
#pragma once

#include <cstddef>

#include "net/clock.h"

namespace skyflow {

// What an answer says about the server's load.
enum class LoadSignal {
  kHealthy,       // answered normally (success or a refusal of the content)
  kBackPressure,  // 429, 503 or a timeout: the server wants less
  kNoSignal,      // says nothing about load (a refused connection, say)
};

class ConcurrencyLimiter {
 public:
  virtual ~ConcurrencyLimiter() = default;

  // The most requests that may be in flight now; at least 1.
  virtual size_t Limit() const = 0;

  // A request went out; `in_flight` counts it.
  virtual void OnSend(Clock::TimePoint now, size_t in_flight) = 0;

  // A request ended after `rtt`.
  virtual void OnAnswer(Clock::TimePoint now, Clock::Duration rtt, LoadSignal signal) = 0;
};

class FixedConcurrency final : public ConcurrencyLimiter {
 public:
  explicit FixedConcurrency(size_t limit) : limit_(limit == 0 ? 1 : limit) {}
  size_t Limit() const override { return limit_; }
  void OnSend(Clock::TimePoint, size_t) override {}
  void OnAnswer(Clock::TimePoint, Clock::Duration, LoadSignal) override {}

 private:
  size_t limit_;
};

}  // namespace skyflow
