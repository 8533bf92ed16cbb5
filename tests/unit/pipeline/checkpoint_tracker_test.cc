#include "pipeline/checkpoint_tracker.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace skyflow {
namespace {

TEST(CheckpointTrackerTest, StaysBeforeTheFirstBatchNotYetSettled) {
  CheckpointTracker tracker({});
  tracker.Read(1, 100, 0, 100, "c100");
  tracker.Read(2, 100, 0, 200, "c200");
  tracker.Read(3, 100, 0, 300, "c300");
  tracker.Settle(2, RecordFate::kLoaded, 100);
  tracker.Settle(3, RecordFate::kLoaded, 100);
  EXPECT_FALSE(tracker.TakeIfAdvanced().has_value()) << "batch 1 is still in flight";
  EXPECT_EQ(tracker.Current().next_sequence, 0u);

  tracker.Settle(1, RecordFate::kLoaded, 60);
  EXPECT_FALSE(tracker.TakeIfAdvanced().has_value()) << "40 records of batch 1 still unsettled";
  tracker.Settle(1, RecordFate::kFailed, 40);
  std::optional<Checkpoint> checkpoint = tracker.TakeIfAdvanced();
  ASSERT_TRUE(checkpoint.has_value());
  EXPECT_EQ(checkpoint->next_sequence, 300u);
  EXPECT_EQ(checkpoint->cursor, "c300");
  EXPECT_EQ(checkpoint->batches, 3u);
  EXPECT_EQ(checkpoint->tally.loaded, 260u);
  EXPECT_EQ(checkpoint->tally.failed, 40u);
  EXPECT_FALSE(tracker.TakeIfAdvanced().has_value()) << "nothing new since";
}

TEST(CheckpointTrackerTest, RowsOnlyRejectedPassAtOnceWhenEverythingBeforeIsSettled) {
  CheckpointTracker tracker({});
  tracker.Read(1, 10, 2, 12, "a");
  tracker.Read(0, 0, 5, 17, "b");  // a stretch of rejected rows only
  EXPECT_EQ(tracker.Current().next_sequence, 0u);
  tracker.Settle(1, RecordFate::kAlreadyPresent, 10);
  const Checkpoint checkpoint = tracker.Current();
  EXPECT_EQ(checkpoint.next_sequence, 17u);
  EXPECT_EQ(checkpoint.tally.rejected, 7u);
  EXPECT_EQ(checkpoint.tally.already_present, 10u);
  EXPECT_EQ(checkpoint.tally.rows(), 17u);
}

TEST(CheckpointTrackerTest, UnsentRecordsNeverLetTheCheckpointPass) {
  CheckpointTracker tracker({});
  tracker.Read(1, 10, 0, 10, "a");
  tracker.Read(2, 10, 0, 20, "b");
  tracker.Settle(1, RecordFate::kLoaded, 10);
  tracker.Settle(2, RecordFate::kUnsent, 10);
  EXPECT_EQ(tracker.Current().next_sequence, 10u);
}

TEST(CheckpointTrackerTest, AResumedRunCountsOnFromItsCheckpoint) {
  Checkpoint start;
  start.next_sequence = 500;
  start.cursor = "x";
  start.batches = 5;
  start.tally.loaded = 498;
  start.tally.rejected = 2;
  CheckpointTracker tracker(start);
  EXPECT_EQ(tracker.Current(), start);
  tracker.Read(6, 100, 0, 600, "y");
  tracker.Settle(6, RecordFate::kLoaded, 100);
  const Checkpoint checkpoint = tracker.Current();
  EXPECT_EQ(checkpoint.next_sequence, 600u);
  EXPECT_EQ(checkpoint.batches, 6u);
  EXPECT_EQ(checkpoint.tally.loaded, 598u);
  EXPECT_EQ(checkpoint.tally.rows(), 600u);
}

// Whatever order settlements come in, the checkpoint is always the longest
// fully settled prefix and never claims a row that is not settled.
TEST(CheckpointTrackerTest, NeverAheadOfTheSettledPrefixInAnyOrder) {
  std::mt19937_64 random(42);
  for (int round = 0; round < 50; ++round) {
    constexpr uint64_t kBatches = 40;
    constexpr uint64_t kSize = 5;
    CheckpointTracker tracker({});
    for (uint64_t batch = 1; batch <= kBatches; ++batch)
      tracker.Read(batch, kSize, 0, batch * kSize, "c" + std::to_string(batch));
    // Settle one record at a time, in a random order.
    std::vector<uint64_t> settlements;
    for (uint64_t batch = 1; batch <= kBatches; ++batch)
      settlements.insert(settlements.end(), kSize, batch);
    std::shuffle(settlements.begin(), settlements.end(), random);
    std::vector<uint64_t> settled(kBatches + 1, 0);
    for (uint64_t batch : settlements) {
      tracker.Settle(batch, RecordFate::kLoaded, 1);
      ++settled[batch];
      uint64_t prefix = 0;
      while (prefix < kBatches && settled[prefix + 1] == kSize)
        ++prefix;
      const Checkpoint checkpoint = tracker.Current();
      ASSERT_EQ(checkpoint.next_sequence, prefix * kSize);
      ASSERT_EQ(checkpoint.tally.loaded, prefix * kSize);
    }
    EXPECT_EQ(tracker.Current().next_sequence, kBatches * kSize);
  }
}

}  // namespace
}  // namespace skyflow
