#include "net/retry_policy.h"

#include <gtest/gtest.h>

#include "net/http_loop.h"

namespace skyflow {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicyTest, CountsAttemptsIncludingTheFirst) {
  RetryPolicy policy(3, milliseconds(100), milliseconds(1000));
  EXPECT_TRUE(policy.MayRetry(1));
  EXPECT_TRUE(policy.MayRetry(2));
  EXPECT_FALSE(policy.MayRetry(3));
}

TEST(RetryPolicyTest, FullJitterStaysUnderADoublingCeiling) {
  RetryPolicy policy(10, milliseconds(100), milliseconds(1000));
  std::mt19937_64 rng(7);
  for (int retry = 1; retry <= 8; ++retry) {
    const int64_t ceiling = std::min<int64_t>(1000, 100LL << (retry - 1));
    milliseconds longest(0);
    for (int i = 0; i < 200; ++i) {
      const auto delay = policy.DelayBefore(retry, std::nullopt, rng);
      EXPECT_GE(delay.count(), 0);
      EXPECT_LE(delay.count(), ceiling);
      longest = std::max(longest, delay);
    }
    // Jitter really spreads: across 200 draws the longest is near the ceiling.
    EXPECT_GT(longest.count(), ceiling / 2);
  }
}

TEST(RetryPolicyTest, RetryAfterIsAFloor) {
  RetryPolicy policy(5, milliseconds(10), milliseconds(20));
  std::mt19937_64 rng(1);
  for (int i = 0; i < 100; ++i) {
    const auto delay = policy.DelayBefore(1, milliseconds(2000), rng);
    EXPECT_GE(delay.count(), 2000);
    EXPECT_LE(delay.count(), 2200);
  }
}

TEST(RetryAfterTest, ParsesSecondsAndHttpDates) {
  const auto now = std::chrono::system_clock::from_time_t(1445412480);  // 21 Oct 2015 07:28:00
  EXPECT_EQ(ParseRetryAfter("3", now), milliseconds(3000));
  EXPECT_EQ(ParseRetryAfter("0.5", now), milliseconds(500));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:10 GMT", now), milliseconds(10000));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("soon", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-1", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("", now), std::nullopt);
}

}  // namespace
}  // namespace skyflow
