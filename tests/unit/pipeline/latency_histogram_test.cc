#include "pipeline/latency_histogram.h"

#include <gtest/gtest.h>

namespace skyflow {
namespace {

TEST(LatencyHistogramTest, BucketsDoubleEveryFourSteps) {
  EXPECT_EQ(LatencyHistogram::UpperBoundMicros(0), 100u);
  EXPECT_EQ(LatencyHistogram::UpperBoundMicros(4), 200u);
  EXPECT_EQ(LatencyHistogram::UpperBoundMicros(36), 51200u);
  EXPECT_EQ(LatencyHistogram::BucketOf(0), 0u);
  EXPECT_EQ(LatencyHistogram::BucketOf(100), 0u);
  EXPECT_EQ(LatencyHistogram::BucketOf(101), 1u);
  EXPECT_EQ(LatencyHistogram::BucketOf(200), 4u);
  EXPECT_EQ(LatencyHistogram::BucketOf(~uint64_t{0}), LatencyHistogram::kBuckets - 1);
}

TEST(LatencyHistogramTest, PercentilesOfOneToAHundredMilliseconds) {
  LatencyHistogram histogram;
  for (uint64_t ms = 1; ms <= 100; ++ms)
    histogram.Record(ms * 1000);
  const auto counts = histogram.Snapshot();
  // The 50th sample is 50 ms; its bucket is (43,054, 51,200] us.
  EXPECT_EQ(PercentileMicros(counts, 0.50), 51200u);
  // The 95th, 95 ms, falls in (86,108, 102,400]; so does the 99th.
  EXPECT_EQ(PercentileMicros(counts, 0.95), 102400u);
  EXPECT_EQ(PercentileMicros(counts, 0.99), 102400u);
  EXPECT_EQ(histogram.MinMicros(), 1000u);
  EXPECT_EQ(histogram.MaxMicros(), 100000u);
}

TEST(LatencyHistogramTest, PercentileOfOneSampleIsItsBucket) {
  LatencyHistogram histogram;
  histogram.Record(1280000);
  // 1.28 s is in (1,158,524, 1,377,725]: 100 us * 2^(55/4) rounds to 1,377,725.
  EXPECT_EQ(PercentileMicros(histogram.Snapshot(), 0.5), 1377725u);
}

TEST(LatencyHistogramTest, EmptyHistogramHasNoPercentiles) {
  LatencyHistogram histogram;
  EXPECT_EQ(PercentileMicros(histogram.Snapshot(), 0.5), 0u);
  EXPECT_EQ(histogram.MinMicros(), 0u);
  EXPECT_EQ(histogram.MaxMicros(), 0u);
}

}  // namespace
}  // namespace skyflow
