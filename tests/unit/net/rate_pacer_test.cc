#include "net/rate_pacer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace skyflow {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const Clock::TimePoint kStart{std::chrono::hours(1)};

// A pacer whose vault accepted `records` in its first second, then asked it
// to wait until `pause_until`.
void ThrottleAfterOneSecond(RatePacer* pacer, double records,
                            Clock::TimePoint pause_until = kStart + seconds(1)) {
  pacer->OnSend(kStart, 1);
  pacer->OnAccepted(records);
  pacer->OnThrottled(kStart + seconds(1), pause_until);
}

TEST(RatePacerTest, DoesNothingUntilTheVaultThrottles) {
  RatePacer pacer;
  for (int i = 0; i < 100; ++i)
    pacer.OnSend(kStart + milliseconds(i), 300);
  EXPECT_FALSE(pacer.active());
  EXPECT_LE(pacer.NextSend(), kStart);
}

TEST(RatePacerTest, LearnsTheRateTheVaultSustainedBetweenTwoEpisodes) {
  RatePacer pacer;
  pacer.OnSend(kStart, 300);
  pacer.OnAccepted(100000);
  // The first 429 after 1 s: 100,000 records/s measured, burst included.
  pacer.OnThrottled(kStart + seconds(1), kStart + seconds(2));
  ASSERT_TRUE(pacer.active());
  EXPECT_NEAR(pacer.Rate(kStart + seconds(2)), 100000, 1);
  // Nothing goes during the pause the vault asked for.
  EXPECT_EQ(pacer.NextSend(), kStart + seconds(2));
  // Then it keeps taking 50,000/s, a 429 every 2 s (1 s of it paused): the
  // rate comes down by at most 10% per episode, and settles there.
  Clock::TimePoint now = kStart + seconds(1);
  for (int episode = 0; episode < 30; ++episode) {
    pacer.OnAccepted(100000);
    now += seconds(2);
    pacer.OnThrottled(now, now + seconds(1));
    if (episode == 0) {
      EXPECT_NEAR(pacer.Rate(now), 0.9 * 100000 * 1.05, 1) << "at most 10% down";
    }
  }
  EXPECT_NEAR(pacer.Rate(now), 50000, 1);
}

TEST(RatePacerTest, SpacesSendsByTheirCost) {
  RatePacer pacer;
  ThrottleAfterOneSecond(&pacer, 30000, kStart + seconds(1));
  const Clock::TimePoint t = kStart + seconds(1);
  pacer.OnSend(t, 300);  // 30,000/s: 300 records every 10 ms
  EXPECT_NEAR(std::chrono::duration<double>(pacer.NextSend() - t).count(), 0.010, 1e-4);
  pacer.OnSend(t, 300);
  EXPECT_NEAR(std::chrono::duration<double>(pacer.NextSend() - t).count(), 0.020, 1e-4);
}

TEST(RatePacerTest, ProbesUpwardsWhileNotThrottled) {
  RatePacer pacer;
  ThrottleAfterOneSecond(&pacer, 10000, kStart + seconds(1));
  EXPECT_NEAR(pacer.Rate(kStart + seconds(11)), 10000 * std::pow(1.05, 10), 1);
}

TEST(RatePacerTest, ABurstOf429sIsOneEpisode) {
  RatePacer pacer;
  ThrottleAfterOneSecond(&pacer, 10000, kStart + seconds(2));
  const double rate = pacer.Rate(kStart + seconds(2));
  for (int i = 0; i < 10; ++i)
    pacer.OnThrottled(kStart + seconds(1) + milliseconds(10 * i), kStart + seconds(2));
  EXPECT_NEAR(pacer.Rate(kStart + seconds(2)), rate, 1e-6);
}

TEST(RatePacerTest, AnIdleSpellEarnsNoBurst) {
  RatePacer pacer;
  ThrottleAfterOneSecond(&pacer, 1000, kStart + seconds(1));
  const Clock::TimePoint later = kStart + seconds(60);
  pacer.OnSend(later, 100);
  EXPECT_GT(pacer.NextSend(), later);
}

}  // namespace
}  // namespace skyflow
