// FaultPlan: every way the emulator can be told to misbehave, as one value.
//
// It comes from startup flags (fault_flags.h), from a JSON document
// (fault_plan_json.h: --faults FILE, and the admin endpoint that replaces the
// plan of a running emulator), and is applied per request by FaultInjector.
// The kinds, in the order a request meets them:
//   - schedule: windows of time ("every request fails with 503 for 5 s from
//     second 10") counted from when the plan took effect;
//   - connection reset on the request's head, before its body is read (RST,
//     nothing stored);
//   - error mix: 429 / 503 / 500 / 408 answered instead of processing;
//   - rate limit: token buckets per vault in requests/s and records/s, 429
//     with Retry-After when empty;
//   - ambiguous failures, after the request was applied: drop the connection
//     without answering, or answer only after late_answer (past the
//     client's timeout): the cases in which a naive client loses or
//     duplicates data;
//   - latency added to every answer;
//   - slow reads: a connection read at a throttled rate.
// `vaults` restricts all of it to some vault IDs. Value type.
#pragma once

#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace skyflow::emulator {

// Bounds a plan must keep (Validate): a schedule window starts and lasts at
// most a day; latency's fixed part and jitter scale at most 10 minutes each,
// and a drawn delay is capped there too (a log-normal tail goes further).
constexpr double kMaxScheduleSeconds = 86400;
constexpr int64_t kMaxLatencyMs = 10 * 60 * 1000;

// Seconds as given in flags and JSON (fractions allowed), to the plan's
// milliseconds, rounded.
inline std::chrono::milliseconds SecondsToMilliseconds(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(std::llround(seconds * 1000)));
}

struct LatencySpec {
  enum class Jitter { kNone, kUniform, kLogNormal };
  std::chrono::milliseconds fixed{0};
  Jitter jitter = Jitter::kNone;
  // kUniform: the random part is uniform in [0, jitter_ms]. kLogNormal: its
  // median is jitter_ms and `sigma` the standard deviation of its logarithm
  // (0.5 to 1 gives the long tail real services show).
  double jitter_ms = 0;
  double sigma = 0.5;

  bool any() const { return fixed.count() > 0 || (jitter != Jitter::kNone && jitter_ms > 0); }
};

struct RateLimitSpec {
  double requests_per_second = 0;  // 0: no limit
  double records_per_second = 0;   // 0: no limit
  // Bucket capacity, in seconds of the rate: how big a burst passes.
  double burst_seconds = 1;

  bool any() const { return requests_per_second > 0 || records_per_second > 0; }
};

enum class FaultKind {
  kStatus429,
  kStatus503,
  kStatus500,
  kStatus408,
  kReset,            // RST before the request is processed
  kDropAfterCommit,  // applied, then the connection closes unanswered
  kLateAnswer,       // applied, answered after late_answer
};
constexpr int kFaultKindCount = 7;

// "429", "503", "500", "408", "reset", "drop_after_commit", "late_answer".
std::string_view FaultKindName(FaultKind kind);
bool ParseFaultKind(std::string_view name, FaultKind* kind);
// The HTTP status of a kStatus* kind; 0 for the others.
int FaultKindStatus(FaultKind kind);

struct ScheduledFault {
  std::chrono::milliseconds start{0};
  std::chrono::milliseconds duration{0};
  FaultKind kind = FaultKind::kStatus503;
  double probability = 1;  // of each request in the window
};

struct FaultPlan {
  double probability_429 = 0;
  double probability_503 = 0;
  double probability_500 = 0;
  double probability_408 = 0;
  // Sent as Retry-After with 429 and 503; 0 omits the header.
  int retry_after_seconds = 1;

  double probability_reset = 0;
  double probability_drop_after_commit = 0;
  double probability_late_answer = 0;
  // Just past the loader's default -request-timeout-ms of 60 s.
  std::chrono::milliseconds late_answer{65000};

  double probability_slow_read = 0;  // of each accepted connection
  uint64_t slow_read_bytes_per_second = 64 * 1024;

  LatencySpec latency;
  RateLimitSpec rate_limit;
  std::vector<ScheduledFault> schedule;
  std::vector<std::string> vaults;  // empty: every vault

  // Whether any fault can happen (fault-free runs skip every draw).
  bool any() const;
  bool AppliesTo(std::string_view vault_id) const;
  // Probabilities in [0, 1], the error mix plus reset, drop and late answer
  // at most 1, positive rates, statuses known. Messages name the field as
  // the JSON document does ("errors.429", "schedule[1].duration_seconds").
  Status Validate() const;
};

}  // namespace skyflow::emulator
