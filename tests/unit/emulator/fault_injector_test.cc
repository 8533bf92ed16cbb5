#include "emulator/faults/fault_injector.h"

#include <gtest/gtest.h>

#include <map>

namespace skyflow::emulator {
namespace {

TEST(FaultInjectorTest, NoFaultsConfiguredNeverFaults) {
  FaultInjector injector(FaultOptions{}, 1);
  for (int i = 0; i < 1000; ++i)
    EXPECT_EQ(injector.Decide(), 0);
}

TEST(FaultInjectorTest, ProbabilityOneAlwaysFaults) {
  FaultOptions options;
  options.probability_503 = 1;
  FaultInjector injector(options, 1);
  for (int i = 0; i < 1000; ++i)
    EXPECT_EQ(injector.Decide(), 503);
}

TEST(FaultInjectorTest, SplitsRequestsRoughlyByProbabilityAndRepeatsWithTheSeed) {
  FaultOptions options;
  options.probability_429 = 0.2;
  options.probability_500 = 0.1;
  options.probability_408 = 0.1;
  FaultInjector first(options, 7);
  FaultInjector second(options, 7);
  std::map<int, int> counts;
  constexpr int kDraws = 20000;
  for (int i = 0; i < kDraws; ++i) {
    const int status = first.Decide();
    EXPECT_EQ(status, second.Decide());
    ++counts[status];
  }
  EXPECT_NEAR(counts[429], 0.2 * kDraws, 0.02 * kDraws);
  EXPECT_NEAR(counts[500], 0.1 * kDraws, 0.02 * kDraws);
  EXPECT_NEAR(counts[408], 0.1 * kDraws, 0.02 * kDraws);
  EXPECT_EQ(counts[503], 0);
  EXPECT_NEAR(counts[0], 0.6 * kDraws, 0.02 * kDraws);
}

}  // namespace
}  // namespace skyflow::emulator
