#include "emulator/faults/rate_limiter.h"

#include <gtest/gtest.h>

namespace skyflow::emulator {
namespace {

using Clock = RateLimiter::Clock;
using std::chrono::milliseconds;

TEST(RateLimiterTest, LetsABurstThroughThenRefillsAtTheRate) {
  RateLimitSpec spec;
  spec.requests_per_second = 10;
  spec.burst_seconds = 0.5;  // bucket of 5
  RateLimiter limiter(spec);
  const Clock::time_point start = Clock::now();
  milliseconds wait{0};
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(limiter.AcquireRequest("v", start, &wait)) << i;
  EXPECT_FALSE(limiter.AcquireRequest("v", start, &wait));
  EXPECT_EQ(wait.count(), 100);  // one token at 10/s
  EXPECT_FALSE(limiter.AcquireRequest("v", start + milliseconds(50), &wait));
  EXPECT_TRUE(limiter.AcquireRequest("v", start + milliseconds(100), &wait));
}

TEST(RateLimiterTest, RecordsLargerThanTheBucketPassWhenItIsFullAndLeaveDebt) {
  RateLimitSpec spec;
  spec.records_per_second = 100;  // bucket of 100
  RateLimiter limiter(spec);
  const Clock::time_point start = Clock::now();
  milliseconds wait{0};
  EXPECT_TRUE(limiter.AcquireRecords("v", 300, start, &wait));
  // 200 in debt: full again after 3 s.
  EXPECT_FALSE(limiter.AcquireRecords("v", 300, start + milliseconds(1000), &wait));
  EXPECT_EQ(wait.count(), 2000);
  EXPECT_TRUE(limiter.AcquireRecords("v", 300, start + milliseconds(3000), &wait));
}

TEST(RateLimiterTest, NoLimitConfiguredAlwaysPasses) {
  RateLimiter limiter(RateLimitSpec{});
  milliseconds wait{0};
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(limiter.AcquireRequest("v", Clock::now(), &wait));
    EXPECT_TRUE(limiter.AcquireRecords("v", 1000, Clock::now(), &wait));
  }
}

}  // namespace
}  // namespace skyflow::emulator
