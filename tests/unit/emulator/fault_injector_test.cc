#include "emulator/faults/fault_injector.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

namespace skyflow::emulator {
namespace {

// The status a request would be answered with before processing, 0 when it
// proceeds, -1 for a reset.
int Outcome(FaultInjector* injector, std::string_view vault = "v1") {
  const FaultVerdict verdict = injector->BeforeRequest(vault);
  switch (verdict.action) {
    case FaultVerdict::Action::kProceed:
      return 0;
    case FaultVerdict::Action::kReset:
      return -1;
    case FaultVerdict::Action::kAnswerError:
      return verdict.status;
  }
  return -2;
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
    EXPECT_EQ(Outcome(&fixture.injector), 0);
    HttpResponse response;
    fixture.injector.AfterRequest("v1", true, &response);
    EXPECT_EQ(response.delivery, HttpResponse::Delivery::kSend);
    EXPECT_EQ(response.delay.count(), 0);
  }
  EXPECT_EQ(fixture.injector.ReadRateLimit(), 0u);
}

TEST(FaultInjectorTest, ProbabilityOneAlwaysFaultsWithRetryAfter) {
  FaultPlan plan;
  plan.probability_503 = 1;
  plan.retry_after_seconds = 4;
  Fixture fixture{plan};
  for (int i = 0; i < 100; ++i) {
    const FaultVerdict verdict = fixture.injector.BeforeRequest("v1");
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
  ASSERT_EQ(Outcome(&fixture.injector), 0);
  HttpResponse processed;
  fixture.injector.AfterRequest("v1", true, &processed);
  EXPECT_EQ(processed.delivery, HttpResponse::Delivery::kDropConnection);
  HttpResponse refused;
  fixture.injector.AfterRequest("v1", false, &refused);
  EXPECT_EQ(refused.delivery, HttpResponse::Delivery::kSend);
  EXPECT_EQ(fixture.counters.injected(FaultKind::kDropAfterCommit), 1u);
}

TEST(FaultInjectorTest, LateAnswerAddsTheConfiguredDelayPlusLatency) {
  FaultPlan plan;
  plan.probability_late_answer = 1;
  plan.late_answer = std::chrono::milliseconds(1500);
  plan.latency.fixed = std::chrono::milliseconds(20);
  Fixture fixture{plan};
  ASSERT_EQ(Outcome(&fixture.injector), 0);
  HttpResponse response;
  fixture.injector.AfterRequest("v1", true, &response);
  EXPECT_EQ(response.delivery, HttpResponse::Delivery::kSend);
  EXPECT_EQ(response.delay.count(), 1520);
}

TEST(FaultInjectorTest, UniformJitterStaysInItsRange) {
  FaultPlan plan;
  plan.latency.fixed = std::chrono::milliseconds(5);
  plan.latency.jitter = LatencySpec::Jitter::kUniform;
  plan.latency.jitter_ms = 10;
  Fixture fixture{plan};
  int64_t low = 1000, high = 0;
  for (int i = 0; i < 2000; ++i) {
    HttpResponse response;
    fixture.injector.AfterRequest("v1", true, &response);
    low = std::min<int64_t>(low, response.delay.count());
    high = std::max<int64_t>(high, response.delay.count());
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
    HttpResponse response;
    fixture.injector.AfterRequest("v1", true, &response);
    delays.push_back(response.delay.count());
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
  EXPECT_EQ(Outcome(&fixture.injector), 0);
  HttpResponse between;
  fixture.injector.AfterRequest("v1", true, &between);
  EXPECT_EQ(between.delivery, HttpResponse::Delivery::kSend);
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_EQ(Outcome(&fixture.injector), 0);
  HttpResponse dropped;
  fixture.injector.AfterRequest("v1", true, &dropped);
  EXPECT_EQ(dropped.delivery, HttpResponse::Delivery::kDropConnection);
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
  const FaultVerdict limited = fixture.injector.BeforeRequest("a");
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

}  // namespace
}  // namespace skyflow::emulator
