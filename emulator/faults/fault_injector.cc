#include "emulator/faults/fault_injector.h"

#include <algorithm>

#include "emulator/faults/latency_model.h"

namespace skyflow::emulator {
namespace {

std::string InjectedMessage(FaultKind kind, std::string_view origin) {
  std::string message;
  switch (kind) {
    case FaultKind::kStatus429:
      message = "Too many requests: rate limit exceeded";
      break;
    case FaultKind::kStatus503:
      message = "Service unavailable";
      break;
    case FaultKind::kStatus500:
      message = "Internal server error";
      break;
    default:
      message = "Request timeout";
      break;
  }
  return message + " (injected by the emulator: " + std::string(origin) + ")";
}

int RetryAfterSeconds(std::chrono::milliseconds wait) {
  // Whole seconds, rounded up: a client that waits exactly this long passes.
  return static_cast<int>(std::max<int64_t>(1, (wait.count() + 999) / 1000));
}

}  // namespace

FaultInjector::FaultInjector(FaultControl* control, FaultCounters* counters, uint64_t seed)
    : control_(control),
      counters_(counters),
      random_(seed),
      plan_(control->Current()),
      version_(control->version()) {}

ActiveFaultPlan& FaultInjector::Plan() {
  const uint64_t version = control_->version();
  if (version != version_) {
    plan_ = control_->Current();
    version_ = version;
  }
  return *plan_;
}

FaultVerdict FaultInjector::Inject(FaultKind kind, std::string_view origin) {
  counters_->Count(kind);
  FaultVerdict verdict;
  if (kind == FaultKind::kReset) {
    verdict.action = FaultVerdict::Action::kReset;
    return verdict;
  }
  verdict.action = FaultVerdict::Action::kAnswerError;
  verdict.status = FaultKindStatus(kind);
  verdict.message = InjectedMessage(kind, origin);
  const int retry_after = plan_->plan.retry_after_seconds;
  if ((verdict.status == 429 || verdict.status == 503) && retry_after > 0) {
    verdict.retry_after_seconds = retry_after;
  }
  return verdict;
}

FaultVerdict FaultInjector::RateLimited(std::string_view what,
                                        std::chrono::milliseconds retry_after) {
  counters_->CountRateLimited();
  FaultVerdict verdict;
  verdict.action = FaultVerdict::Action::kAnswerError;
  verdict.status = 429;
  verdict.retry_after_seconds = RetryAfterSeconds(retry_after);
  verdict.message = "Too many requests: the vault's limit of " + std::string(what) +
                    " is exceeded; retry after " + std::to_string(verdict.retry_after_seconds) +
                    " s (emulator rate limit)";
  return verdict;
}

FaultVerdict FaultInjector::BeforeRequest(std::string_view vault_id) {
  scheduled_drop_ = scheduled_late_ = false;
  ActiveFaultPlan& active = Plan();
  const FaultPlan& plan = active.plan;
  if (!plan.any() || !plan.AppliesTo(vault_id)) return {};

  const Clock::time_point now = Clock::now();
  if (!plan.schedule.empty()) {
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - active.start);
    for (const ScheduledFault& window : plan.schedule) {
      if (elapsed < window.start || elapsed >= window.start + window.duration) continue;
      if (window.probability < 1 && random_.NextDouble() >= window.probability) continue;
      if (window.kind == FaultKind::kDropAfterCommit) {
        scheduled_drop_ = true;
      } else if (window.kind == FaultKind::kLateAnswer) {
        scheduled_late_ = true;
      } else {
        return Inject(window.kind, "schedule");
      }
      break;
    }
  }

  const double per_request = plan.probability_reset + plan.probability_429 + plan.probability_503 +
                             plan.probability_500 + plan.probability_408;
  if (per_request > 0) {
    const double draw = random_.NextDouble();
    const std::pair<double, FaultKind> slices[] = {{plan.probability_reset, FaultKind::kReset},
                                                   {plan.probability_429, FaultKind::kStatus429},
                                                   {plan.probability_503, FaultKind::kStatus503},
                                                   {plan.probability_500, FaultKind::kStatus500},
                                                   {plan.probability_408, FaultKind::kStatus408}};
    double threshold = 0;
    for (const auto& [probability, kind] : slices) {
      threshold += probability;
      if (draw < threshold) return Inject(kind, "fault plan");
    }
  }

  std::chrono::milliseconds retry_after{0};
  if (!active.limiter.AcquireRequest(vault_id, now, &retry_after)) {
    return RateLimited(std::to_string(static_cast<int64_t>(plan.rate_limit.requests_per_second)) +
                           " requests per second",
                       retry_after);
  }
  return {};
}

FaultVerdict FaultInjector::BeforeApply(std::string_view vault_id, uint64_t records) {
  ActiveFaultPlan& active = Plan();
  const FaultPlan& plan = active.plan;
  if (plan.rate_limit.records_per_second <= 0 || !plan.AppliesTo(vault_id)) return {};
  std::chrono::milliseconds retry_after{0};
  if (!active.limiter.AcquireRecords(vault_id, static_cast<double>(records), Clock::now(),
                                     &retry_after)) {
    return RateLimited(std::to_string(static_cast<int64_t>(plan.rate_limit.records_per_second)) +
                           " records per second",
                       retry_after);
  }
  return {};
}

void FaultInjector::AfterRequest(std::string_view vault_id, bool applied, HttpResponse* response) {
  const FaultPlan& plan = Plan().plan;
  if (!plan.any() || !plan.AppliesTo(vault_id)) return;
  if (applied) {
    bool drop = scheduled_drop_;
    bool late = scheduled_late_;
    const double ambiguous = plan.probability_drop_after_commit + plan.probability_late_answer;
    if (!drop && !late && ambiguous > 0) {
      // A draw of its own: of the requests that got this far, these shares
      // are dropped or answered late.
      const double draw = random_.NextDouble();
      drop = draw < plan.probability_drop_after_commit;
      late = !drop && draw < ambiguous;
    }
    if (drop) {
      counters_->Count(FaultKind::kDropAfterCommit);
      response->delivery = HttpResponse::Delivery::kDropConnection;
    } else if (late) {
      counters_->Count(FaultKind::kLateAnswer);
      response->delay += plan.late_answer;
    }
  }
  if (plan.latency.any()) {
    response->delay += SampleLatency(plan.latency, &random_);
    counters_->CountDelayed();
  }
}

uint64_t FaultInjector::ReadRateLimit() {
  const FaultPlan& plan = Plan().plan;
  if (plan.probability_slow_read <= 0) return 0;
  if (random_.NextDouble() >= plan.probability_slow_read) return 0;
  counters_->CountSlowReadConnection();
  return plan.slow_read_bytes_per_second;
}

}  // namespace skyflow::emulator
