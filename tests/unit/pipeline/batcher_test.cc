#include "pipeline/batcher.h"

#include <gtest/gtest.h>

#include "pipeline/source_scan.h"
#include "vector_source.h"

namespace skyflow {
namespace {

using testing::VectorSource;

std::vector<std::pair<std::string, std::string>> Rows(int count) {
  return testing::NumberedRows(count);
}

TEST(BatcherTest, SplitsIntoBatchesOfTheConfiguredSize) {
  VectorSource source(Rows(7));
  BatcherOptions options;
  options.batch_size = 3;
  options.insert.column = "c";
  Batcher batcher(&source, options);
  std::vector<size_t> sizes;
  std::vector<RejectedRow> rejected;
  bool done = false;
  while (!done) {
    Batch batch;
    ASSERT_TRUE(batcher.Next(&batch, &rejected, &done).ok());
    if (!batch.records.empty()) {
      sizes.push_back(batch.records.size());
      EXPECT_EQ(batch.number, sizes.size());
      EXPECT_FALSE(batch.body.empty());
    }
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{3, 3, 1}));
  EXPECT_TRUE(rejected.empty());
  EXPECT_FALSE(batcher.stopped_at_limit());
}

TEST(BatcherTest, RowLimitStopsTheReadAndSaysSo) {
  VectorSource source(Rows(10));
  auto scan = ScanSource(&source, 4, 3);
  ASSERT_TRUE(scan.ok());
  EXPECT_EQ(scan->rows, 4u);
  EXPECT_EQ(scan->records, 4u);
  EXPECT_TRUE(scan->stopped_at_limit);
}

TEST(BatcherTest, LimitEqualToTheInputIsNotACut) {
  VectorSource source(Rows(4));
  auto scan = ScanSource(&source, 4, 3);
  ASSERT_TRUE(scan.ok());
  EXPECT_FALSE(scan->stopped_at_limit);
}

TEST(BatcherTest, InvalidUtf8AndSourceRejectsAreSetAside) {
  VectorSource source({{"ok", "t1"}, {"", "t2"}, {"caf\xE9", "t3"}, {"fine", "t\xFF"}});
  auto scan = ScanSource(&source, 0, 10);
  ASSERT_TRUE(scan.ok());
  EXPECT_EQ(scan->records, 1u);
  EXPECT_EQ(scan->rejected, 3u);
  PairDigest expected;
  expected.Add("ok", "t1");
  EXPECT_EQ(scan->digest, expected);
}

TEST(BatcherTest, SuffixIsAppendedToValueAndToken) {
  VectorSource source(Rows(1));
  BatcherOptions options;
  options.insert.column = "c";
  options.append_suffix = true;
  options.suffix_time = 1700000000;
  Batcher batcher(&source, options);
  Batch batch;
  std::vector<RejectedRow> rejected;
  bool done = false;
  ASSERT_TRUE(batcher.Next(&batch, &rejected, &done).ok());
  ASSERT_EQ(batch.records.size(), 1u);
  const std::string& value = batch.records[0].value;
  ASSERT_EQ(value.rfind("v0_1700000000_", 0), 0u) << value;
  EXPECT_EQ(value.size(), std::string("v0_1700000000_").size() + 16);
  EXPECT_EQ(batch.records[0].token.substr(2), value.substr(2));
}

}  // namespace
}  // namespace skyflow
