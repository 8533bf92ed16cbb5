#include "pipeline/verify_feed.h"

#include <gtest/gtest.h>

#include <set>

#include "vault/record_lookup.h"
#include "vector_source.h"

namespace skyflow {
namespace {

using testing::NumberedRows;
using testing::VectorSource;

// Every record the feed gives, group by group; fails on an error.
std::vector<std::vector<Record>> Drain(VerifyFeed& feed) {
  std::vector<std::vector<Record>> groups;
  bool done = false;
  for (int guard = 0; !done && guard < 100000; ++guard) {
    std::vector<Record> group;
    EXPECT_TRUE(feed.Next(&group, &done).ok());
    if (!group.empty()) groups.push_back(std::move(group));
  }
  EXPECT_TRUE(done);
  return groups;
}

std::vector<uint64_t> Sequences(const std::vector<std::vector<Record>>& groups) {
  std::vector<uint64_t> sequences;
  for (const auto& group : groups) {
    for (const Record& record : group)
      sequences.push_back(record.sequence);
  }
  return sequences;
}

TEST(VerifyFeedTest, StreamsEveryRecordInGroupsOfOneLookup) {
  VectorSource source(NumberedRows(60));
  VerifyFeed feed(&source, {});
  const auto groups = Drain(feed);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].size(), kMaxLookupRecords);
  EXPECT_EQ(groups[2].size(), 10u);
  EXPECT_EQ(groups[1][0].value, "v25");
  EXPECT_EQ(groups[1][0].token, "t25");
  EXPECT_EQ(feed.rows_read(), 60u);
  EXPECT_EQ(feed.eligible(), 60u);
  EXPECT_EQ(feed.rejected(), 0u);
  EXPECT_FALSE(feed.stopped_at_limit());
}

TEST(VerifyFeedTest, CountsRejectedRowsAndHonoursTheRowLimitAsALoadDoes) {
  auto rows = NumberedRows(40);
  rows[3].first = "";         // the source rejects it
  rows[5].first = "caf\xE9";  // not UTF-8: the batcher sets it aside
  VectorSource source(rows);
  VerifyFeedOptions options;
  options.max_rows = 30;
  VerifyFeed feed(&source, options);
  const std::vector<uint64_t> sequences = Sequences(Drain(feed));
  EXPECT_EQ(sequences.size(), 28u);
  EXPECT_EQ(std::set<uint64_t>(sequences.begin(), sequences.end()).count(3), 0u);
  EXPECT_EQ(std::set<uint64_t>(sequences.begin(), sequences.end()).count(5), 0u);
  EXPECT_EQ(feed.rows_read(), 30u);
  EXPECT_EQ(feed.rejected(), 2u);
  EXPECT_EQ(feed.eligible(), 28u);
  EXPECT_TRUE(feed.stopped_at_limit());
}

TEST(VerifyFeedTest, ASampleHasExactlyNRecordsInSourceOrder) {
  VectorSource source(NumberedRows(5000));
  VerifyFeedOptions options;
  options.sample = 100;
  options.seed = 9;
  VerifyFeed feed(&source, options);
  const auto groups = Drain(feed);
  for (const auto& group : groups)
    EXPECT_LE(group.size(), kMaxLookupRecords);
  const std::vector<uint64_t> sequences = Sequences(groups);
  ASSERT_EQ(sequences.size(), 100u);
  EXPECT_TRUE(std::is_sorted(sequences.begin(), sequences.end()));
  EXPECT_EQ(std::set<uint64_t>(sequences.begin(), sequences.end()).size(), 100u);
  EXPECT_EQ(groups[0][0].value, "v" + std::to_string(groups[0][0].sequence));
  EXPECT_EQ(feed.eligible(), 5000u);
  // Not just the first records: the sample spreads over the input.
  EXPECT_GT(sequences.back(), 2500u);
}

std::vector<uint64_t> SampleOf(int rows, uint64_t sample, uint64_t seed, size_t lane) {
  VectorSource source(NumberedRows(rows));
  VerifyFeedOptions options;
  options.sample = sample;
  options.seed = seed;
  options.lane = lane;
  VerifyFeed feed(&source, options);
  return Sequences(Drain(feed));
}

TEST(VerifyFeedTest, TheSeedAndTheVaultDecideTheSample) {
  EXPECT_EQ(SampleOf(3000, 50, 4, 0), SampleOf(3000, 50, 4, 0));
  EXPECT_NE(SampleOf(3000, 50, 4, 0), SampleOf(3000, 50, 5, 0));
  EXPECT_NE(SampleOf(3000, 50, 4, 0), SampleOf(3000, 50, 4, 1));
}

TEST(VerifyFeedTest, ASampleLargerThanTheSourceChecksEveryRecord) {
  auto rows = NumberedRows(30);
  rows[7].first = "";
  VectorSource source(rows);
  VerifyFeedOptions options;
  options.sample = 1000;
  VerifyFeed feed(&source, options);
  EXPECT_EQ(Sequences(Drain(feed)).size(), 29u);
  EXPECT_EQ(feed.rejected(), 1u);
}

}  // namespace
}  // namespace skyflow
