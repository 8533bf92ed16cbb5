#include "util/reservoir_sampler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

namespace skyflow {
namespace {

std::vector<int> Sample(int population, size_t k, uint64_t seed) {
  ReservoirSampler<int> sampler(k, std::mt19937_64(seed));
  for (int i = 0; i < population; ++i)
    sampler.Offer(i);
  std::vector<int> sample = sampler.Take();
  std::sort(sample.begin(), sample.end());
  return sample;
}

TEST(UniformBelowTest, StaysInRangeAndHitsEveryValue) {
  std::mt19937_64 rng(3);
  std::vector<int> hits(7, 0);
  for (int i = 0; i < 7000; ++i) {
    const uint64_t draw = UniformBelow(rng, 7);
    ASSERT_LT(draw, 7u);
    ++hits[draw];
  }
  // 1000 expected each; 6 sigma is about 190.
  for (int hit : hits) {
    EXPECT_GT(hit, 800);
    EXPECT_LT(hit, 1200);
  }
  EXPECT_EQ(UniformBelow(rng, 1), 0u);
}

TEST(UniformBelowTest, TheSameSeedDrawsTheSameNumbers) {
  std::mt19937_64 a(42);
  std::mt19937_64 b(42);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(UniformBelow(a, 1000003), UniformBelow(b, 1000003));
}

TEST(ReservoirSamplerTest, KeepsExactlyKDistinctItemsOfTheStream) {
  const std::vector<int> sample = Sample(1000, 25, 1);
  ASSERT_EQ(sample.size(), 25u);
  EXPECT_EQ(std::set<int>(sample.begin(), sample.end()).size(), 25u);
  for (int item : sample) {
    EXPECT_GE(item, 0);
    EXPECT_LT(item, 1000);
  }
}

TEST(ReservoirSamplerTest, AShortStreamIsKeptWhole) {
  EXPECT_EQ(Sample(5, 10, 1), (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(Sample(0, 10, 1), std::vector<int>{});
  ReservoirSampler<int> sampler(3, std::mt19937_64(1));
  sampler.Offer(9);
  EXPECT_EQ(sampler.seen(), 1u);
  EXPECT_EQ(sampler.sample(), std::vector<int>{9});
}

TEST(ReservoirSamplerTest, TheSeedDecidesTheSample) {
  EXPECT_EQ(Sample(10000, 50, 7), Sample(10000, 50, 7));
  EXPECT_NE(Sample(10000, 50, 7), Sample(10000, 50, 8));
}

TEST(ReservoirSamplerTest, EveryItemIsAboutEquallyLikelyToBeDrawn) {
  // 100 items, samples of 10, 4000 seeds: each item is expected in 400
  // samples (standard deviation 19); early and late items alike.
  constexpr int kPopulation = 100;
  constexpr int kSeeds = 4000;
  std::vector<int> drawn(kPopulation, 0);
  for (int seed = 1; seed <= kSeeds; ++seed) {
    for (int item : Sample(kPopulation, 10, static_cast<uint64_t>(seed)))
      ++drawn[item];
  }
  for (int item = 0; item < kPopulation; ++item) {
    EXPECT_GT(drawn[item], 300) << "item " << item;
    EXPECT_LT(drawn[item], 500) << "item " << item;
  }
  // The first k items are not favoured as a group.
  int first_ten = 0;
  for (int item = 0; item < 10; ++item)
    first_ten += drawn[item];
  EXPECT_NEAR(first_ten, 4000, 250);
}

}  // namespace
}  // namespace skyflow
