#include "emulator/faults/fault_flags.h"

#include <array>
#include <cmath>

#include "emulator/common/flag_values.h"

namespace skyflow::emulator {
namespace {

constexpr std::array<std::string_view, 18> kFaultFlags = {"--fault-429",
                                                          "--fault-503",
                                                          "--fault-500",
                                                          "--fault-408",
                                                          "--retry-after",
                                                          "--fault-reset",
                                                          "--fault-drop-after-commit",
                                                          "--fault-late-answer",
                                                          "--late-answer-ms",
                                                          "--fault-slow-read",
                                                          "--slow-read-bytes-per-second",
                                                          "--latency-ms",
                                                          "--latency-jitter",
                                                          "--rate-limit-requests",
                                                          "--rate-limit-records",
                                                          "--rate-limit-burst",
                                                          "--fault-schedule",
                                                          "--fault-vault"};

// "uniform:MS" or "lognormal:MEDIAN_MS[:SIGMA]".
Status ParseJitter(std::string_view flag, std::string_view text, LatencySpec* latency) {
  const size_t colon = text.find(':');
  const std::string_view kind = text.substr(0, colon);
  if (colon == std::string_view::npos || (kind != "uniform" && kind != "lognormal")) {
    return FlagError(flag, "expected uniform:MAX_MS or lognormal:MEDIAN_MS[:SIGMA], got \"" +
                               std::string(text) + "\"");
  }
  std::string_view rest = text.substr(colon + 1);
  const size_t sigma_colon = rest.find(':');
  Result<double> milliseconds = ParseNonNegative(flag, rest.substr(0, sigma_colon));
  if (!milliseconds.ok()) return milliseconds.status();
  latency->jitter_ms = *milliseconds;
  latency->jitter =
      kind == "uniform" ? LatencySpec::Jitter::kUniform : LatencySpec::Jitter::kLogNormal;
  if (sigma_colon != std::string_view::npos) {
    if (kind == "uniform") return FlagError(flag, "a sigma applies to lognormal only");
    Result<double> sigma = ParseNonNegative(flag, rest.substr(sigma_colon + 1));
    if (!sigma.ok()) return sigma.status();
    latency->sigma = *sigma;
  }
  return Status::Ok();
}

}  // namespace

bool IsFaultFlag(std::string_view flag) {
  for (const std::string_view known : kFaultFlags) {
    if (flag == known) return true;
  }
  return false;
}

Result<ScheduledFault> ParseScheduleWindow(std::string_view flag, std::string_view text) {
  const Status format = FlagError(
      flag, "expected START+DURATION:FAULT[@PROBABILITY] in seconds, e.g. 10+5:503, got \"" +
                std::string(text) + "\"");
  const size_t plus = text.find('+');
  const size_t colon = text.find(':');
  if (plus == std::string_view::npos || colon == std::string_view::npos || colon < plus) {
    return format;
  }
  Result<double> start = ParseNonNegative(flag, text.substr(0, plus));
  Result<double> duration = ParseNonNegative(flag, text.substr(plus + 1, colon - plus - 1));
  if (!start.ok() || !duration.ok() || *duration <= 0) return format;
  // Bounded before the conversion to milliseconds (which would overflow).
  if (*start > kMaxScheduleSeconds || *duration > kMaxScheduleSeconds) {
    return FlagError(flag, "start and duration must be at most " +
                               std::to_string(static_cast<int>(kMaxScheduleSeconds)) +
                               " seconds, got \"" + std::string(text) + "\"");
  }
  std::string_view fault = text.substr(colon + 1);
  ScheduledFault window;
  window.start = SecondsToMilliseconds(*start);
  window.duration = SecondsToMilliseconds(*duration);
  if (const size_t at = fault.find('@'); at != std::string_view::npos) {
    Result<double> probability = ParseProbability(flag, fault.substr(at + 1));
    if (!probability.ok()) return probability.status();
    window.probability = *probability;
    fault = fault.substr(0, at);
  }
  if (!ParseFaultKind(fault, &window.kind)) {
    return FlagError(flag, "unknown fault \"" + std::string(fault) +
                               "\"; expected 429, 503, 500, 408, reset, drop_after_commit or "
                               "late_answer");
  }
  return window;
}

Status ApplyFaultFlag(std::string_view flag, std::string_view value, FaultPlan* plan) {
  auto probability = [&](double* field) -> Status {
    Result<double> parsed = ParseProbability(flag, value);
    if (!parsed.ok()) return parsed.status();
    *field = *parsed;
    return Status::Ok();
  };
  auto rate = [&](double* field) -> Status {
    Result<double> parsed = ParseNonNegative(flag, value);
    if (!parsed.ok()) return parsed.status();
    *field = *parsed;
    return Status::Ok();
  };
  if (flag == "--fault-429") return probability(&plan->probability_429);
  if (flag == "--fault-503") return probability(&plan->probability_503);
  if (flag == "--fault-500") return probability(&plan->probability_500);
  if (flag == "--fault-408") return probability(&plan->probability_408);
  if (flag == "--fault-reset") return probability(&plan->probability_reset);
  if (flag == "--fault-drop-after-commit") return probability(&plan->probability_drop_after_commit);
  if (flag == "--fault-late-answer") return probability(&plan->probability_late_answer);
  if (flag == "--fault-slow-read") return probability(&plan->probability_slow_read);
  if (flag == "--rate-limit-requests") return rate(&plan->rate_limit.requests_per_second);
  if (flag == "--rate-limit-records") return rate(&plan->rate_limit.records_per_second);
  if (flag == "--rate-limit-burst") {
    SKYFLOW_RETURN_IF_ERROR(rate(&plan->rate_limit.burst_seconds));
    if (plan->rate_limit.burst_seconds <= 0) return FlagError(flag, "must be positive");
    return Status::Ok();
  }
  if (flag == "--latency-jitter") return ParseJitter(flag, value, &plan->latency);
  if (flag == "--fault-vault") {
    if (value.empty()) return FlagError(flag, "expected a vault ID");
    plan->vaults.emplace_back(value);
    return Status::Ok();
  }
  if (flag == "--fault-schedule") {
    Result<ScheduledFault> window = ParseScheduleWindow(flag, value);
    if (!window.ok()) return window.status();
    plan->schedule.push_back(*window);
    return Status::Ok();
  }
  // An unsigned number in [min, max], for the remaining flags.
  auto number = [&](uint64_t min, uint64_t max) -> Result<uint64_t> {
    Result<uint64_t> parsed = ParseUnsigned(flag, value, max);
    if (parsed.ok() && *parsed < min) return FlagError(flag, "must be at least 1");
    return parsed;
  };
  constexpr uint64_t kDayMs = uint64_t{24} * 3600 * 1000;
  if (flag == "--retry-after") {
    Result<uint64_t> seconds = number(0, 86400);
    if (!seconds.ok()) return seconds.status();
    plan->retry_after_seconds = static_cast<int>(*seconds);
  } else if (flag == "--late-answer-ms") {
    Result<uint64_t> milliseconds = number(1, kDayMs);
    if (!milliseconds.ok()) return milliseconds.status();
    plan->late_answer = std::chrono::milliseconds(*milliseconds);
  } else if (flag == "--slow-read-bytes-per-second") {
    Result<uint64_t> bytes_per_second = number(1, uint64_t{1} << 40);
    if (!bytes_per_second.ok()) return bytes_per_second.status();
    plan->slow_read_bytes_per_second = *bytes_per_second;
  } else if (flag == "--latency-ms") {
    Result<uint64_t> milliseconds = number(0, kMaxLatencyMs);
    if (!milliseconds.ok()) return milliseconds.status();
    plan->latency.fixed = std::chrono::milliseconds(*milliseconds);
  } else {
    return FlagError(flag, "unknown fault flag");
  }
  return Status::Ok();
}

std::string FaultFlagsUsage() {
  return R"(Faults (vault API only; a faulted request stores nothing unless said):
  --fault-429 P               probability (0..1) that a request is answered 429
  --fault-503 P               ... 503
  --fault-500 P               ... 500
  --fault-408 P               ... 408
  --retry-after SECONDS       Retry-After sent with injected 429 and 503
                              (default 1; 0 omits the header)
  --fault-reset P             ... that the connection is reset (RST) when the
                              request's head arrives, before its body is read
  --fault-drop-after-commit P ... that the request is applied and the
                              connection then closed without an answer
  --fault-late-answer P       ... that the request is applied and answered
                              only after --late-answer-ms
  --late-answer-ms MS         delay of a late answer (default 65000, past the
                              loader's default request timeout)
                              (the per-request probabilities add up to <= 1)
  --latency-ms MS             fixed delay added to every answer
  --latency-jitter SPEC       random delay on top: uniform:MAX_MS, or
                              lognormal:MEDIAN_MS[:SIGMA] (sigma default 0.5)
  --rate-limit-requests N     token bucket per vault: N requests per second;
                              over it, 429 with Retry-After
  --rate-limit-records N      token bucket per vault: N records per second
  --rate-limit-burst SECONDS  bucket size in seconds of the rate (default 1)
  --fault-slow-read P         probability that a connection is read slowly
  --slow-read-bytes-per-second N
                              read rate of a slow connection (default 65536)
  --fault-schedule WINDOW     START+DURATION:FAULT[@P], seconds from when it
                              starts serving (or from the last plan change,
                              at most 86400 each): e.g. 10+5:503 is
                              an outage from second 10 to 15. FAULT is 429,
                              503, 500, 408, reset, drop_after_commit or
                              late_answer. Repeatable.
  --fault-vault ID            fault only this vault (repeatable; default all)
  With --seed, the n-th request gets the n-th draw, on whichever worker.
  --faults FILE               the whole fault plan as JSON (docs/emulator.md);
                              not combinable with the flags above
  The plan can be read and replaced while running: GET/PUT/DELETE
  /emulator/v1/faults.
)";
}

}  // namespace skyflow::emulator
