#include "emulator/faults/fault_plan.h"

#include <algorithm>
#include <array>

namespace skyflow::emulator {
namespace {

constexpr std::array<std::string_view, kFaultKindCount> kKindNames = {
    "429", "503", "500", "408", "reset", "drop_after_commit", "late_answer"};

bool IsProbability(double value) {
  return value >= 0 && value <= 1;
}

Status FieldError(std::string_view field, std::string_view problem) {
  return Status::InvalidArgument("faults: " + std::string(field) + ": " + std::string(problem));
}

}  // namespace

std::string_view FaultKindName(FaultKind kind) {
  return kKindNames[static_cast<size_t>(kind)];
}

bool ParseFaultKind(std::string_view name, FaultKind* kind) {
  for (size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == name) {
      *kind = static_cast<FaultKind>(i);
      return true;
    }
  }
  return false;
}

int FaultKindStatus(FaultKind kind) {
  switch (kind) {
    case FaultKind::kStatus429:
      return 429;
    case FaultKind::kStatus503:
      return 503;
    case FaultKind::kStatus500:
      return 500;
    case FaultKind::kStatus408:
      return 408;
    default:
      return 0;
  }
}

bool FaultPlan::any() const {
  return probability_429 > 0 || probability_503 > 0 || probability_500 > 0 || probability_408 > 0 ||
         probability_reset > 0 || probability_drop_after_commit > 0 ||
         probability_late_answer > 0 || probability_slow_read > 0 || latency.any() ||
         rate_limit.any() || !schedule.empty();
}

bool FaultPlan::AppliesTo(std::string_view vault_id) const {
  return vaults.empty() || std::find(vaults.begin(), vaults.end(), vault_id) != vaults.end();
}

Status FaultPlan::Validate() const {
  const std::pair<std::string_view, double> probabilities[] = {
      {"errors.429", probability_429},
      {"errors.503", probability_503},
      {"errors.500", probability_500},
      {"errors.408", probability_408},
      {"connection.reset", probability_reset},
      {"ambiguous.drop_after_commit", probability_drop_after_commit},
      {"ambiguous.late_answer", probability_late_answer},
      {"connection.slow_read", probability_slow_read}};
  double per_request = 0;
  for (const auto& [field, value] : probabilities) {
    if (!IsProbability(value)) return FieldError(field, "must be a probability between 0 and 1");
    if (field != "connection.slow_read") per_request += value;
  }
  if (per_request > 1.0 + 1e-9) {
    return FieldError("errors, connection.reset, ambiguous",
                      "the per-request probabilities add up to more than 1");
  }
  if (retry_after_seconds < 0 || retry_after_seconds > 86400) {
    return FieldError("retry_after_seconds", "must be between 0 and 86400");
  }
  if (late_answer.count() <= 0) return FieldError("ambiguous.late_answer_ms", "must be positive");
  if (probability_slow_read > 0 && slow_read_bytes_per_second == 0) {
    return FieldError("connection.slow_read_bytes_per_second", "must be at least 1");
  }
  const std::string latency_bound =
      "must be between 0 and " + std::to_string(kMaxLatencyMs) + " (10 minutes)";
  if (latency.fixed.count() < 0 || latency.fixed.count() > kMaxLatencyMs) {
    return FieldError("latency.fixed_ms", latency_bound);
  }
  if (!(latency.jitter_ms >= 0) || latency.jitter_ms > static_cast<double>(kMaxLatencyMs)) {
    return FieldError("latency.jitter_ms", latency_bound);
  }
  if (!(latency.sigma >= 0) || latency.sigma > 10) {
    return FieldError("latency.sigma", "must be between 0 and 10");
  }
  if (!(rate_limit.requests_per_second >= 0) || !(rate_limit.records_per_second >= 0)) {
    return FieldError("rate_limit", "rates must not be negative");
  }
  if (!(rate_limit.burst_seconds > 0)) {
    return FieldError("rate_limit.burst_seconds", "must be positive");
  }
  for (size_t i = 0; i < schedule.size(); ++i) {
    const ScheduledFault& window = schedule[i];
    const std::string field = "schedule[" + std::to_string(i) + "]";
    constexpr auto kMaxMs = static_cast<int64_t>(kMaxScheduleSeconds * 1000);
    if (window.start.count() < 0 || window.start.count() > kMaxMs) {
      return FieldError(field + ".start_seconds", "must be between 0 and 86400");
    }
    if (window.duration.count() <= 0 || window.duration.count() > kMaxMs) {
      return FieldError(field + ".duration_seconds", "must be positive and at most 86400");
    }
    if (!IsProbability(window.probability)) {
      return FieldError(field + ".probability", "must be a probability between 0 and 1");
    }
  }
  return Status::Ok();
}

}  // namespace skyflow::emulator
