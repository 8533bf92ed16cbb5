#include "emulator/faults/fault_injector.h"

#include <algorithm>
#include <cstdio>

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
  // A day at most (a rate so small that the wait is longer is a plan error
  // the header cannot express anyway).
  constexpr int64_t kMaxSeconds = 86400;
  return static_cast<int>(std::clamp<int64_t>((wait.count() + 999) / 1000, 1, kMaxSeconds));
}

// "2", "0.5", "1.25": the rate as configured, without trailing zeros.
std::string FormatRate(double rate) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.6g", rate);
  return text;
}

// Stream numbers for DeriveSeed: one per kind of draw, apart from the
// small numbers the per-worker id and token generators use.
constexpr uint64_t kFaultStreams = uint64_t{0xFA} << 40;
enum Stream : uint64_t {
  kDecisionStream = kFaultStreams + 1,
  kLatencyStream = kFaultStreams + 2,
  kConnectionStream = kFaultStreams + 3,
};

}  // namespace

FaultInjector::FaultInjector(FaultControl* control, FaultCounters* counters, uint64_t seed)
    : control_(control),
      counters_(counters),
      decision_seed_(DeriveSeed(seed, kDecisionStream)),
      latency_seed_(DeriveSeed(seed, kLatencyStream)),
      connection_seed_(DeriveSeed(seed, kConnectionStream)),
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

FaultVerdict FaultInjector::AnswerError(FaultKind kind, std::string_view origin,
                                        const FaultPlan& plan) {
  counters_->Count(kind);
  FaultVerdict verdict;
  verdict.action = FaultVerdict::Action::kAnswerError;
  verdict.status = FaultKindStatus(kind);
  verdict.message = InjectedMessage(kind, origin);
  if ((verdict.status == 429 || verdict.status == 503) && plan.retry_after_seconds > 0) {
    verdict.retry_after_seconds = plan.retry_after_seconds;
  }
  return verdict;
}

FaultVerdict FaultInjector::RateLimited(std::string_view what, double rate,
                                        std::chrono::milliseconds retry_after) {
  counters_->CountRateLimited();
  FaultVerdict verdict;
  verdict.action = FaultVerdict::Action::kAnswerError;
  verdict.status = 429;
  verdict.retry_after_seconds = RetryAfterSeconds(retry_after);
  verdict.message = "Too many requests: the vault's limit of " + FormatRate(rate) + " " +
                    std::string(what) + " is exceeded; retry after " +
                    std::to_string(verdict.retry_after_seconds) + " s (emulator rate limit)";
  return verdict;
}

FaultTicket FaultInjector::Admit(std::string_view vault_id) {
  ActiveFaultPlan& active = Plan();
  const FaultPlan& plan = active.plan;
  FaultTicket ticket;
  ticket.plan = static_cast<uint16_t>(version_);
  if (!plan.any() || !plan.AppliesTo(vault_id)) return ticket;
  ticket.sequence = active.requests.fetch_add(1, std::memory_order_relaxed) + 1;
  Random random(DeriveSeed(decision_seed_, ticket.sequence));
  // Always drawn first, so that a request's share of the mix does not
  // depend on the schedule.
  const double mix_draw = random.NextDouble();

  if (!plan.schedule.empty()) {
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - active.start);
    for (const ScheduledFault& window : plan.schedule) {
      if (elapsed < window.start || elapsed >= window.start + window.duration) continue;
      if (window.probability < 1 && random.NextDouble() >= window.probability) continue;
      ticket.fault = window.kind;
      ticket.scheduled = true;
      break;
    }
  }
  if (!ticket.fault) {
    const std::pair<double, FaultKind> slices[] = {
        {plan.probability_reset, FaultKind::kReset},
        {plan.probability_429, FaultKind::kStatus429},
        {plan.probability_503, FaultKind::kStatus503},
        {plan.probability_500, FaultKind::kStatus500},
        {plan.probability_408, FaultKind::kStatus408},
        {plan.probability_drop_after_commit, FaultKind::kDropAfterCommit},
        {plan.probability_late_answer, FaultKind::kLateAnswer}};
    double threshold = 0;
    for (const auto& [probability, kind] : slices) {
      threshold += probability;
      if (mix_draw < threshold) {
        ticket.fault = kind;
        break;
      }
    }
  }
  if (ticket.fault == FaultKind::kReset) counters_->Count(FaultKind::kReset);
  return ticket;
}

bool FaultInjector::IsCurrent(const FaultTicket& ticket) {
  Plan();
  return ticket.plan == static_cast<uint16_t>(version_);
}

FaultVerdict FaultInjector::BeforeRequest(std::string_view vault_id, const FaultTicket& ticket) {
  if (ticket.fault == FaultKind::kReset) {
    FaultVerdict verdict;  // counted by Admit
    verdict.action = FaultVerdict::Action::kReset;
    return verdict;
  }
  ActiveFaultPlan& active = Plan();
  const FaultPlan& plan = active.plan;
  if (ticket.fault && FaultKindStatus(*ticket.fault) != 0) {
    return AnswerError(*ticket.fault, ticket.scheduled ? "schedule" : "fault plan", plan);
  }
  if (plan.rate_limit.requests_per_second <= 0 || !plan.AppliesTo(vault_id)) return {};
  std::chrono::milliseconds retry_after{0};
  if (!active.limiter.AcquireRequest(vault_id, Clock::now(), &retry_after)) {
    return RateLimited("requests per second", plan.rate_limit.requests_per_second, retry_after);
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
    return RateLimited("records per second", plan.rate_limit.records_per_second, retry_after);
  }
  return {};
}

void FaultInjector::AfterRequest(std::string_view vault_id, const FaultTicket& ticket, bool applied,
                                 HttpResponse* response) {
  ActiveFaultPlan& active = Plan();
  const FaultPlan& plan = active.plan;
  if (!plan.any() || !plan.AppliesTo(vault_id)) return;
  if (applied && ticket.fault == FaultKind::kDropAfterCommit) {
    counters_->Count(FaultKind::kDropAfterCommit);
    response->delivery = HttpResponse::Delivery::kDropConnection;
  } else if (applied && ticket.fault == FaultKind::kLateAnswer) {
    counters_->Count(FaultKind::kLateAnswer);
    response->delay += plan.late_answer;
  }
  if (plan.latency.any()) {
    // A request admitted before the plan had latency has no draw index yet.
    const uint64_t sequence = ticket.sequence != 0
                                  ? ticket.sequence
                                  : active.requests.fetch_add(1, std::memory_order_relaxed) + 1;
    Random random(DeriveSeed(latency_seed_, sequence));
    response->delay += SampleLatency(plan.latency, &random);
    counters_->CountDelayed();
  }
}

uint64_t FaultInjector::ReadRateLimit() {
  ActiveFaultPlan& active = Plan();
  const FaultPlan& plan = active.plan;
  if (plan.probability_slow_read <= 0) return 0;
  const uint64_t connection = active.connections.fetch_add(1, std::memory_order_relaxed) + 1;
  Random random(DeriveSeed(connection_seed_, connection));
  if (random.NextDouble() >= plan.probability_slow_read) return 0;
  counters_->CountSlowReadConnection();
  return plan.slow_read_bytes_per_second;
}

}  // namespace skyflow::emulator
