#include "emulator/faults/fault_injector.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

namespace skyflow::emulator {
namespace {

// One request through the injector as the API handler drives it.
struct Trip {
  int outcome = 0;        // before processing: 0 proceeds, -1 reset, else the status
  HttpResponse response;  // after processing, when it proceeded
};

Trip Drive(FaultInjector* injector, std::string_view vault = "v1", bool applied = true) {
  Trip trip;
  const FaultTicket ticket = injector->Admit(vault);
  const FaultVerdict verdict = injector->BeforeRequest(vault, ticket);
  switch (verdict.action) {
    case FaultVerdict::Action::kProceed:
      injector->AfterRequest(vault, ticket, applied, &trip.response);
      break;
    case FaultVerdict::Action::kReset:
      trip.outcome = -1;
      break;
    case FaultVerdict::Action::kAnswerError:
      trip.outcome = verdict.status;
      break;
  }
  return trip;
}

int Outcome(FaultInjector* injector, std::string_view vault = "v1") {
  return Drive(injector, vault).outcome;
}

FaultVerdict Verdict(FaultInjector* injector, std::string_view vault = "v1") {
  return injector->BeforeRequest(vault, injector->Admit(vault));
}

struct Fixture {
  explicit Fixture(FaultPlan plan, uint64_t seed = 1)
      : control(std::move(plan)), injector(&control, &counters, seed) {}
  FaultControl control;
  FaultCounters counters;
  FaultInjector injector;
};

TEST(FaultInjectorTest, NoFaultsConfiguredNeverFaults) {
  Fixture fixture{FaultPlan{}};
  for (int i = 0; i < 1000; ++i) {
    const Trip trip = Drive(&fixture.injector);
    EXPECT_EQ(trip.outcome, 0);
    EXPECT_EQ(trip.response.delivery, HttpResponse::Delivery::kSend);
    EXPECT_EQ(trip.response.delay.count(), 0);
  }
  EXPECT_EQ(fixture.injector.ReadRateLimit(), 0u);
}

TEST(FaultInjectorTest, ProbabilityOneAlwaysFaultsWithRetryAfter) {
  FaultPlan plan;
  plan.probability_503 = 1;
  plan.retry_after_seconds = 4;
  Fixture fixture{plan};
  for (int i = 0; i < 100; ++i) {
    const FaultVerdict verdict = Verdict(&fixture.injector);
    ASSERT_EQ(verdict.action, FaultVerdict::Action::kAnswerError);
    EXPECT_EQ(verdict.status, 503);
    EXPECT_EQ(verdict.retry_after_seconds, 4);
    EXPECT_NE(verdict.message.find("injected"), std::string::npos);
  }
  EXPECT_EQ(fixture.counters.injected(FaultKind::kStatus503), 100u);
}

TEST(FaultInjectorTest, SplitsRequestsRoughlyByProbabilityAndRepeatsWithTheSeed) {
  FaultPlan plan;
  plan.probability_429 = 0.2;
  plan.probability_500 = 0.1;
  plan.probability_408 = 0.1;
  plan.probability_reset = 0.1;
  Fixture first{plan, 7};
  Fixture second{plan, 7};
  std::map<int, int> counts;
  constexpr int kDraws = 20000;
  for (int i = 0; i < kDraws; ++i) {
    const int status = Outcome(&first.injector);
    EXPECT_EQ(status, Outcome(&second.injector));
    ++counts[status];
  }
  EXPECT_NEAR(counts[429], 0.2 * kDraws, 0.02 * kDraws);
  EXPECT_NEAR(counts[500], 0.1 * kDraws, 0.02 * kDraws);
  EXPECT_NEAR(counts[408], 0.1 * kDraws, 0.02 * kDraws);
  EXPECT_NEAR(counts[-1], 0.1 * kDraws, 0.02 * kDraws);
  EXPECT_EQ(counts[503], 0);
  EXPECT_NEAR(counts[0], 0.5 * kDraws, 0.02 * kDraws);
}

TEST(FaultInjectorTest, FaultsOnlyTheNamedVaults) {
  FaultPlan plan;
  plan.probability_500 = 1;
  plan.vaults = {"sick"};
  Fixture fixture{plan};
  EXPECT_EQ(Outcome(&fixture.injector, "sick"), 500);
  EXPECT_EQ(Outcome(&fixture.injector, "healthy"), 0);
}

TEST(FaultInjectorTest, DropAfterCommitOnlyForProcessedRequests) {
  FaultPlan plan;
  plan.probability_drop_after_commit = 1;
  Fixture fixture{plan};
  const Trip processed = Drive(&fixture.injector, "v1", /*applied=*/true);
  ASSERT_EQ(processed.outcome, 0);
  EXPECT_EQ(processed.response.delivery, HttpResponse::Delivery::kDropConnection);
  const Trip refused = Drive(&fixture.injector, "v1", /*applied=*/false);
  EXPECT_EQ(refused.response.delivery, HttpResponse::Delivery::kSend);
  EXPECT_EQ(fixture.counters.injected(FaultKind::kDropAfterCommit), 1u);
}

TEST(FaultInjectorTest, LateAnswerAddsTheConfiguredDelayPlusLatency) {
  FaultPlan plan;
  plan.probability_late_answer = 1;
  plan.late_answer = std::chrono::milliseconds(1500);
  plan.latency.fixed = std::chrono::milliseconds(20);
  Fixture fixture{plan};
  const Trip trip = Drive(&fixture.injector);
  ASSERT_EQ(trip.outcome, 0);
  EXPECT_EQ(trip.response.delivery, HttpResponse::Delivery::kSend);
  EXPECT_EQ(trip.response.delay.count(), 1520);
}

TEST(FaultInjectorTest, UniformJitterStaysInItsRange) {
  FaultPlan plan;
  plan.latency.fixed = std::chrono::milliseconds(5);
  plan.latency.jitter = LatencySpec::Jitter::kUniform;
  plan.latency.jitter_ms = 10;
  Fixture fixture{plan};
  int64_t low = 1000, high = 0;
  for (int i = 0; i < 2000; ++i) {
    const int64_t delay = Drive(&fixture.injector).response.delay.count();
    low = std::min<int64_t>(low, delay);
    high = std::max<int64_t>(high, delay);
  }
  EXPECT_GE(low, 5);
  EXPECT_LE(high, 15);
  EXPECT_GT(high - low, 5);  // it does vary
}

TEST(FaultInjectorTest, LogNormalJitterHasItsMedian) {
  FaultPlan plan;
  plan.latency.jitter = LatencySpec::Jitter::kLogNormal;
  plan.latency.jitter_ms = 40;
  plan.latency.sigma = 0.8;
  Fixture fixture{plan};
  std::vector<int64_t> delays;
  for (int i = 0; i < 4001; ++i) {
    delays.push_back(Drive(&fixture.injector).response.delay.count());
  }
  std::nth_element(delays.begin(), delays.begin() + 2000, delays.end());
  EXPECT_NEAR(static_cast<double>(delays[2000]), 40, 4);
  EXPECT_GT(*std::max_element(delays.begin(), delays.end()), 120);  // a long tail
}

TEST(FaultInjectorTest, ScheduleWindowFaultsOnlyWhileOpen) {
  FaultPlan plan;
  plan.schedule.push_back(
      {std::chrono::milliseconds(0), std::chrono::milliseconds(150), FaultKind::kStatus503, 1});
  plan.schedule.push_back({std::chrono::milliseconds(300), std::chrono::milliseconds(100000),
                           FaultKind::kDropAfterCommit, 1});
  Fixture fixture{plan};
  EXPECT_EQ(Outcome(&fixture.injector), 503);
  std::this_thread::sleep_for(std::chrono::milliseconds(170));
  const Trip between = Drive(&fixture.injector);
  EXPECT_EQ(between.outcome, 0);
  EXPECT_EQ(between.response.delivery, HttpResponse::Delivery::kSend);
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  const Trip dropped = Drive(&fixture.injector);
  EXPECT_EQ(dropped.outcome, 0);
  EXPECT_EQ(dropped.response.delivery, HttpResponse::Delivery::kDropConnection);
}

TEST(FaultInjectorTest, ReplacingThePlanTakesEffectOnTheNextRequest) {
  Fixture fixture{FaultPlan{}};
  EXPECT_EQ(Outcome(&fixture.injector), 0);
  FaultPlan outage;
  outage.probability_503 = 1;
  fixture.control.Replace(outage);
  EXPECT_EQ(Outcome(&fixture.injector), 503);
  fixture.control.Replace(FaultPlan{});
  EXPECT_EQ(Outcome(&fixture.injector), 0);
}

TEST(FaultInjectorTest, RequestRateLimitAnswers429WithRetryAfter) {
  FaultPlan plan;
  plan.rate_limit.requests_per_second = 2;  // bucket of 2
  Fixture fixture{plan};
  EXPECT_EQ(Outcome(&fixture.injector, "a"), 0);
  EXPECT_EQ(Outcome(&fixture.injector, "a"), 0);
  const FaultVerdict limited = Verdict(&fixture.injector, "a");
  ASSERT_EQ(limited.action, FaultVerdict::Action::kAnswerError);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.retry_after_seconds, 1);
  EXPECT_NE(limited.message.find("2 requests per second"), std::string::npos);
  EXPECT_EQ(Outcome(&fixture.injector, "b"), 0);  // buckets are per vault
  EXPECT_EQ(fixture.counters.rate_limited(), 1u);
}

TEST(FaultInjectorTest, SlowReadPicksConnections) {
  FaultPlan plan;
  plan.probability_slow_read = 1;
  plan.slow_read_bytes_per_second = 1000;
  Fixture fixture{plan};
  EXPECT_EQ(fixture.injector.ReadRateLimit(), 1000u);
  EXPECT_EQ(fixture.counters.slow_read_connections(), 1u);
}

TEST(FaultInjectorTest, DropAndLateAnswerAreSharesOfAllRequests) {
  FaultPlan plan;
  plan.probability_503 = 0.5;
  plan.probability_drop_after_commit = 0.3;
  plan.probability_late_answer = 0.2;
  Fixture fixture{plan};
  std::map<std::string, int> counts;
  constexpr int kRequests = 20000;
  for (int i = 0; i < kRequests; ++i) {
    const Trip trip = Drive(&fixture.injector);
    if (trip.outcome == 503) {
      ++counts["503"];
    } else if (trip.response.delivery == HttpResponse::Delivery::kDropConnection) {
      ++counts["drop"];
    } else if (trip.response.delay.count() > 0) {
      ++counts["late"];
    }
  }
  EXPECT_NEAR(counts["503"], 0.5 * kRequests, 0.02 * kRequests);
  EXPECT_NEAR(counts["drop"], 0.3 * kRequests, 0.02 * kRequests);
  EXPECT_NEAR(counts["late"], 0.2 * kRequests, 0.02 * kRequests);
}

TEST(FaultInjectorTest, TheNthRequestGetsTheNthDrawWhicheverWorkerServesIt) {
  FaultPlan plan;
  plan.probability_429 = 0.3;
  plan.probability_reset = 0.2;
  plan.latency.jitter = LatencySpec::Jitter::kUniform;
  plan.latency.jitter_ms = 1000;
  // Two workers sharing one plan, taking requests in turn, against one
  // worker taking them all: the same decisions in the same order.
  FaultControl shared_control(plan);
  FaultCounters shared_counters;
  FaultInjector worker_a(&shared_control, &shared_counters, 42);
  FaultInjector worker_b(&shared_control, &shared_counters, 42);
  Fixture alone{plan, 42};
  Fixture other_seed{plan, 43};
  int differences_from_other_seed = 0;
  for (int i = 0; i < 500; ++i) {
    const Trip shared = Drive(i % 2 == 0 ? &worker_a : &worker_b);
    const Trip single = Drive(&alone.injector);
    EXPECT_EQ(shared.outcome, single.outcome) << "request " << i;
    EXPECT_EQ(shared.response.delay, single.response.delay) << "request " << i;
    const Trip other = Drive(&other_seed.injector);
    if (other.outcome != single.outcome || other.response.delay != single.response.delay) {
      ++differences_from_other_seed;
    }
  }
  EXPECT_GT(differences_from_other_seed, 100);
}

TEST(FaultInjectorTest, AResetIsDecidedAndCountedOnAdmission) {
  FaultPlan plan;
  plan.probability_reset = 1;
  Fixture fixture{plan};
  const FaultTicket ticket = fixture.injector.Admit("v1");
  EXPECT_EQ(ticket.fault, FaultKind::kReset);
  EXPECT_EQ(fixture.counters.injected(FaultKind::kReset), 1u);
  // A ticket carried through the server says the same; acting on it again
  // is not counted twice.
  const FaultTicket carried = FaultTicket::Unpack(ticket.Pack());
  EXPECT_EQ(fixture.injector.BeforeRequest("v1", carried).action, FaultVerdict::Action::kReset);
  EXPECT_EQ(fixture.counters.injected(FaultKind::kReset), 1u);
}

TEST(FaultInjectorTest, TicketsSurvivePacking) {
  EXPECT_EQ(FaultTicket{}.Pack(), 0u);
  for (int kind = 0; kind < kFaultKindCount; ++kind) {
    for (const bool scheduled : {false, true}) {
      FaultTicket ticket;
      ticket.sequence = (uint64_t{1} << 39) + static_cast<uint64_t>(kind);
      ticket.plan = static_cast<uint16_t>(0xBEEF + kind);
      ticket.fault = static_cast<FaultKind>(kind);
      ticket.scheduled = scheduled;
      const FaultTicket back = FaultTicket::Unpack(ticket.Pack());
      EXPECT_EQ(back.sequence, ticket.sequence);
      EXPECT_EQ(back.plan, ticket.plan);
      EXPECT_EQ(back.fault, ticket.fault);
      EXPECT_EQ(back.scheduled, scheduled);
    }
  }
  FaultTicket no_fault;
  no_fault.sequence = 9;
  EXPECT_FALSE(FaultTicket::Unpack(no_fault.Pack()).fault.has_value());
}

TEST(FaultInjectorTest, RateLimitMessagesKeepFractionsAndRetryAfterStaysBounded) {
  FaultPlan plan;
  plan.rate_limit.requests_per_second = 0.5;
  Fixture fixture{plan};
  EXPECT_EQ(Outcome(&fixture.injector, "a"), 0);
  const FaultVerdict limited = Verdict(&fixture.injector, "a");
  EXPECT_NE(limited.message.find("limit of 0.5 requests per second"), std::string::npos)
      << limited.message;
  EXPECT_EQ(limited.retry_after_seconds, 2);

  FaultPlan tiny;
  tiny.rate_limit.requests_per_second = 1e-12;
  tiny.rate_limit.burst_seconds = 1e12;  // a bucket of one request
  Fixture starved{tiny};
  EXPECT_EQ(Outcome(&starved.injector, "a"), 0);
  const FaultVerdict starved_verdict = Verdict(&starved.injector, "a");
  EXPECT_EQ(starved_verdict.status, 429);
  EXPECT_EQ(starved_verdict.retry_after_seconds, 86400);
}

TEST(FaultInjectorTest, ATicketDrawnUnderAReplacedPlanIsNotCurrent) {
  FaultPlan outage;
  outage.probability_503 = 1;
  Fixture fixture{outage};
  const FaultTicket drawn = fixture.injector.Admit("v1");
  ASSERT_EQ(drawn.fault, FaultKind::kStatus503);
  EXPECT_TRUE(fixture.injector.IsCurrent(FaultTicket::Unpack(drawn.Pack())));
  fixture.control.Replace(FaultPlan{});
  EXPECT_FALSE(fixture.injector.IsCurrent(drawn));
  const FaultTicket again = fixture.injector.Admit("v1");
  EXPECT_TRUE(fixture.injector.IsCurrent(again));
  EXPECT_FALSE(again.fault.has_value());
}

TEST(FaultInjectorTest, RestartingThePlanRestartsItsSchedule) {
  FaultPlan plan;
  plan.schedule.push_back(
      {std::chrono::milliseconds(0), std::chrono::milliseconds(100), FaultKind::kStatus503, 1});
  Fixture fixture{plan};
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_EQ(Outcome(&fixture.injector), 0);
  fixture.control.Restart();
  EXPECT_EQ(Outcome(&fixture.injector), 503);
}

}  // namespace
}  // namespace skyflow::emulator
