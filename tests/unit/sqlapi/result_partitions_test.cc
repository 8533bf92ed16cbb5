#include "emulator/sqlapi/result_partitions.h"

#include <gtest/gtest.h>

namespace skyflow::emulator::sqlapi {
namespace {

TEST(PartitionRowLimitTest, DoublesFromTheFirstSizeUpToTheMaximum) {
  const PartitionSizing sizing{1000, 5000};
  EXPECT_EQ(PartitionRowLimit(sizing, 0), 1000U);
  EXPECT_EQ(PartitionRowLimit(sizing, 1), 2000U);
  EXPECT_EQ(PartitionRowLimit(sizing, 2), 4000U);
  EXPECT_EQ(PartitionRowLimit(sizing, 3), 5000U);
  EXPECT_EQ(PartitionRowLimit(sizing, 60), 5000U);  // no overflow far out
}

TEST(PartitionRowLimitTest, EqualSizesWhenTheFirstIsTheMaximum) {
  const PartitionSizing sizing{7, 7};
  EXPECT_EQ(PartitionRowLimit(sizing, 0), 7U);
  EXPECT_EQ(PartitionRowLimit(sizing, 5), 7U);
}

void AddNumberedRows(ResultPartitionsBuilder* builder, int rows) {
  for (int i = 0; i < rows; ++i) {
    builder->BeginRow();
    builder->AddCell(std::to_string(i));
    builder->AddNull();
    builder->EndRow();
  }
}

TEST(ResultPartitionsBuilderTest, CutsRowsIntoGrowingPartitions) {
  ResultPartitionsBuilder builder(PartitionSizing{2, 4});
  AddNumberedRows(&builder, 11);
  EXPECT_EQ(builder.rows(), 11U);
  const std::vector<Partition> partitions = builder.Finish();
  ASSERT_EQ(partitions.size(), 4U);  // 2 + 4 + 4 + 1
  EXPECT_EQ(partitions[0].row_count, 2U);
  EXPECT_EQ(partitions[1].row_count, 4U);
  EXPECT_EQ(partitions[2].row_count, 4U);
  EXPECT_EQ(partitions[3].row_count, 1U);
  EXPECT_EQ(partitions[0].data, R"([["0",null],["1",null]])");
  EXPECT_EQ(partitions[3].data, R"([["10",null]])");
}

TEST(ResultPartitionsBuilderTest, EscapesCellsAsJsonStrings) {
  ResultPartitionsBuilder builder(PartitionSizing{10, 10});
  builder.BeginRow();
  builder.AddCell("say \"hi\"\\\n\x01");
  builder.AddCell("");
  builder.AddCell("Zoë");
  builder.EndRow();
  const std::vector<Partition> partitions = builder.Finish();
  ASSERT_EQ(partitions.size(), 1U);
  EXPECT_EQ(partitions[0].data, "[[\"say \\\"hi\\\"\\\\\\n\\u0001\",\"\",\"Zoë\"]]");
}

TEST(ResultPartitionsBuilderTest, AResultWithoutRowsHasOneEmptyPartition) {
  ResultPartitionsBuilder builder(PartitionSizing{10, 10});
  const std::vector<Partition> partitions = builder.Finish();
  ASSERT_EQ(partitions.size(), 1U);
  EXPECT_EQ(partitions[0].data, "[]");
  EXPECT_EQ(partitions[0].row_count, 0U);
}

TEST(ResultPartitionsBuilderTest, ARowOfNoCellsIsAnEmptyArray) {
  ResultPartitionsBuilder builder(PartitionSizing{10, 10});
  builder.BeginRow();
  builder.EndRow();
  EXPECT_EQ(builder.Finish()[0].data, "[[]]");
}

}  // namespace
}  // namespace skyflow::emulator::sqlapi
