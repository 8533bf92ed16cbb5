#include "emulator/faults/fault_plan_json.h"

#include <gtest/gtest.h>

#include "emulator/faults/fault_flags.h"

namespace skyflow::emulator {
namespace {

TEST(FaultPlanJsonTest, EmptyObjectIsNoFault) {
  Result<FaultPlan> plan = ParseFaultPlanJson("{}", "test");
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_FALSE(plan->any());
}

TEST(FaultPlanJsonTest, ReadsEverySectionAndWritesItBack) {
  const std::string json = R"({
    "errors": {"429": 0.1, "503": 0.05, "500": 0.01, "408": 0.02},
    "retry_after_seconds": 3,
    "latency": {"fixed_ms": 5, "jitter": "lognormal", "jitter_ms": 20, "sigma": 0.8},
    "rate_limit": {"requests_per_second": 50, "records_per_second": 15000, "burst_seconds": 2},
    "ambiguous": {"drop_after_commit": 0.01, "late_answer": 0.02, "late_answer_ms": 1500},
    "connection": {"reset": 0.03, "slow_read": 0.5, "slow_read_bytes_per_second": 1000},
    "schedule": [{"start_seconds": 10, "duration_seconds": 5, "fault": "503"},
                 {"start_seconds": 1.5, "duration_seconds": 0.5, "fault": "drop_after_commit",
                  "probability": 0.5}],
    "vaults": ["a", "b"]})";
  Result<FaultPlan> plan = ParseFaultPlanJson(json, "test");
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_DOUBLE_EQ(plan->probability_503, 0.05);
  EXPECT_EQ(plan->retry_after_seconds, 3);
  EXPECT_EQ(plan->latency.jitter, LatencySpec::Jitter::kLogNormal);
  EXPECT_DOUBLE_EQ(plan->rate_limit.records_per_second, 15000);
  EXPECT_EQ(plan->late_answer.count(), 1500);
  EXPECT_EQ(plan->slow_read_bytes_per_second, 1000u);
  ASSERT_EQ(plan->schedule.size(), 2u);
  EXPECT_EQ(plan->schedule[1].start.count(), 1500);
  EXPECT_EQ(plan->schedule[1].kind, FaultKind::kDropAfterCommit);
  EXPECT_DOUBLE_EQ(plan->schedule[1].probability, 0.5);
  EXPECT_EQ(plan->vaults, (std::vector<std::string>{"a", "b"}));

  // Round trip: what GET shows, PUT accepts, meaning the same plan.
  Result<FaultPlan> again = ParseFaultPlanJson(FaultPlanToJson(*plan), "round trip");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(FaultPlanToJson(*again), FaultPlanToJson(*plan));
}

TEST(FaultPlanJsonTest, ErrorsNameThePath) {
  const std::pair<std::string, std::string> cases[] = {
      {R"({"errors": {"502": 0.1}})", "test: errors.502: unknown key; known keys: 429, 503"},
      {R"({"errors": {"503": 1.5}})", "test: errors.503: expected a probability"},
      {R"({"latncy": {}})", "test: latncy: unknown key"},
      {R"({"latency": {"jitter": "gauss"}})", "test: latency.jitter: expected \"none\""},
      {R"({"schedule": [{"start_seconds": 1, "duration_seconds": 2}]})",
       "test: schedule[0]: missing \"fault\""},
      {R"({"schedule": [{"start_seconds": 1, "duration_seconds": 0, "fault": "503"}]})",
       "schedule[0].duration_seconds: must be positive"},
      {R"({"errors": {"503": 0.6, "500": 0.6}})", "add up to more than 1"},
      {R"({"errors": {"503": 0.1},})", "test: line 1, column 24: trailing comma"},
      {R"([])", "test: the document: expected an object"},
  };
  for (const auto& [json, expected] : cases) {
    Result<FaultPlan> plan = ParseFaultPlanJson(json, "test");
    ASSERT_FALSE(plan.ok()) << json;
    EXPECT_NE(plan.status().message().find(expected), std::string::npos)
        << json << " -> " << plan.status().message();
  }
}

TEST(FaultFlagsTest, ScheduleWindowSyntax) {
  Result<ScheduledFault> window = ParseScheduleWindow("--fault-schedule", "10+5:503");
  ASSERT_TRUE(window.ok());
  EXPECT_EQ(window->start.count(), 10000);
  EXPECT_EQ(window->duration.count(), 5000);
  EXPECT_EQ(window->kind, FaultKind::kStatus503);
  EXPECT_DOUBLE_EQ(window->probability, 1);

  window = ParseScheduleWindow("--fault-schedule", "0.5+0.25:late_answer@0.5");
  ASSERT_TRUE(window.ok());
  EXPECT_EQ(window->start.count(), 500);
  EXPECT_EQ(window->kind, FaultKind::kLateAnswer);
  EXPECT_DOUBLE_EQ(window->probability, 0.5);

  for (const char* bad : {"10:503", "10+5", "10+0:503", "x+5:503", "1+1:502", "1+1:503@2"}) {
    EXPECT_FALSE(ParseScheduleWindow("--fault-schedule", bad).ok()) << bad;
  }
}

TEST(FaultFlagsTest, FlagsSetThePlan) {
  FaultPlan plan;
  ASSERT_TRUE(ApplyFaultFlag("--latency-jitter", "lognormal:30:0.9", &plan).ok());
  EXPECT_EQ(plan.latency.jitter, LatencySpec::Jitter::kLogNormal);
  EXPECT_DOUBLE_EQ(plan.latency.jitter_ms, 30);
  EXPECT_DOUBLE_EQ(plan.latency.sigma, 0.9);
  ASSERT_TRUE(ApplyFaultFlag("--rate-limit-records", "20000", &plan).ok());
  EXPECT_DOUBLE_EQ(plan.rate_limit.records_per_second, 20000);
  ASSERT_TRUE(ApplyFaultFlag("--fault-drop-after-commit", "0.25", &plan).ok());
  EXPECT_DOUBLE_EQ(plan.probability_drop_after_commit, 0.25);
  EXPECT_FALSE(ApplyFaultFlag("--latency-jitter", "uniform:10:0.5", &plan).ok());
  EXPECT_FALSE(ApplyFaultFlag("--late-answer-ms", "0", &plan).ok());
  EXPECT_FALSE(ApplyFaultFlag("--fault-reset", "-0.1", &plan).ok());
}

}  // namespace
}  // namespace skyflow::emulator
