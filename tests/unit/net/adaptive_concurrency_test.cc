// AdaptiveConcurrency driven by simulated round trips: each window sends as
// many requests as the limit allows (or the demand needs), and answers them
// all after a latency that may depend on the load.
#include "net/adaptive_concurrency.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

namespace skyflow {
namespace {

using std::chrono::milliseconds;

class Simulation {
 public:
  explicit Simulation(AdaptiveConcurrencyOptions options) : limiter_(options) {}

  // One round trip: min(limit, demand) requests, answered after
  // latency(in flight), `back_pressure` of them as back-pressure.
  void Window(size_t demand, const std::function<milliseconds(size_t)>& latency,
              size_t back_pressure = 0) {
    const size_t count = std::min(limiter_.Limit(), demand);
    for (size_t i = 1; i <= count; ++i)
      limiter_.OnSend(now_, i);
    const milliseconds rtt = latency(count);
    now_ += rtt;
    for (size_t i = 0; i < count; ++i) {
      limiter_.OnAnswer(now_, rtt,
                        i < back_pressure ? LoadSignal::kBackPressure : LoadSignal::kHealthy);
    }
  }

  AdaptiveConcurrency& limiter() { return limiter_; }

 private:
  AdaptiveConcurrency limiter_;
  Clock::TimePoint now_{std::chrono::hours(1)};
};

milliseconds Flat(size_t) {
  return milliseconds(20);
}

AdaptiveConcurrencyOptions Ceiling(size_t ceiling) {
  AdaptiveConcurrencyOptions options;
  options.ceiling = ceiling;
  return options;
}

TEST(AdaptiveConcurrencyTest, StartsAtOneAndGrowsByOnePerRoundTripToTheCeiling) {
  Simulation simulation(Ceiling(32));
  EXPECT_EQ(simulation.limiter().Limit(), 1u);
  for (int i = 0; i < 10; ++i)
    simulation.Window(1000, Flat);
  EXPECT_EQ(simulation.limiter().Limit(), 11u);
  for (int i = 0; i < 100; ++i)
    simulation.Window(1000, Flat);
  EXPECT_EQ(simulation.limiter().Limit(), 32u);
}

TEST(AdaptiveConcurrencyTest, DoesNotGrowWhenTheLoadDoesNotNeedMore) {
  Simulation simulation(Ceiling(32));
  for (int i = 0; i < 50; ++i)
    simulation.Window(4, Flat);
  EXPECT_EQ(simulation.limiter().Limit(), 5u);  // reached 4, one step above, no further
}

TEST(AdaptiveConcurrencyTest, BacksOffOncePerWindowOnBackPressure) {
  Simulation simulation(Ceiling(64));
  for (int i = 0; i < 19; ++i)
    simulation.Window(1000, Flat);
  ASSERT_EQ(simulation.limiter().Limit(), 20u);
  simulation.Window(1000, Flat, /*back_pressure=*/15);
  EXPECT_EQ(simulation.limiter().Limit(), 18u);  // 20 x 0.9, not 20 x 0.9^15
  for (int i = 0; i < 5; ++i)
    simulation.Window(1000, Flat, /*back_pressure=*/1);
  EXPECT_NEAR(simulation.limiter().exact_limit(), 18 * 0.9 * 0.9 * 0.9 * 0.9 * 0.9, 1e-9);
}

TEST(AdaptiveConcurrencyTest, RecoversWhenTheBackPressureStops) {
  Simulation simulation(Ceiling(32));
  for (int i = 0; i < 40; ++i)
    simulation.Window(1000, Flat);
  for (int i = 0; i < 30; ++i)
    simulation.Window(1000, Flat, 1);
  EXPECT_LE(simulation.limiter().Limit(), 2u);
  for (int i = 0; i < 40; ++i)
    simulation.Window(1000, Flat);
  EXPECT_EQ(simulation.limiter().Limit(), 32u);
}

TEST(AdaptiveConcurrencyTest, ConvergesWhereLatencyStartsToRise) {
  // A server that serves 8 requests at a time: beyond that they queue, and
  // the round trip grows with the concurrency.
  auto queueing = [](size_t in_flight) {
    return milliseconds(20 * std::max<size_t>(1, (in_flight + 7) / 8));
  };
  Simulation simulation(Ceiling(128));
  size_t highest_late = 0;
  for (int i = 0; i < 400; ++i) {
    simulation.Window(1000, queueing);
    if (i >= 200) highest_late = std::max(highest_late, simulation.limiter().Limit());
  }
  EXPECT_LE(highest_late, 24u) << "grew far past the knee at 8";
  EXPECT_GE(simulation.limiter().Limit(), 4u);
}

TEST(AdaptiveConcurrencyTest, NeverLeavesItsBounds) {
  Simulation simulation(Ceiling(3));
  for (int i = 0; i < 20; ++i)
    simulation.Window(1000, Flat, 1000);
  EXPECT_EQ(simulation.limiter().Limit(), 1u);
  for (int i = 0; i < 20; ++i)
    simulation.Window(1000, Flat);
  EXPECT_EQ(simulation.limiter().Limit(), 3u);
}

}  // namespace
}  // namespace skyflow
