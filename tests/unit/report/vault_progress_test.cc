#include "report/vault_progress.h"

#include <gtest/gtest.h>

namespace skyflow {
namespace {

TEST(VaultProgressTest, TotalIsExactOnceTheInputIsRead) {
  VaultProgress vault;
  vault.rows_read = 1234;
  vault.input_done = true;
  const RowTotal total = EstimateTotal(vault, 0);
  EXPECT_EQ(total.kind, TotalKind::kExact);
  EXPECT_EQ(total.rows, 1234u);
}

TEST(VaultProgressTest, TotalIsEstimatedFromBytesPerRow) {
  VaultProgress vault;
  vault.rows_read = 1000;
  vault.bytes_start = 20;  // the header
  vault.bytes_read = 20 + 1000 * 30;
  vault.bytes_total = 20 + 4000 * 30;
  const RowTotal total = EstimateTotal(vault, 0);
  EXPECT_EQ(total.kind, TotalKind::kEstimated);
  EXPECT_EQ(total.rows, 4000u);
  EXPECT_EQ(EstimateTotal(vault, 2500).rows, 2500u) << "-max-records caps it";
}

TEST(VaultProgressTest, TotalOfAResumedRunCountsOnlyWhatIsLeft) {
  VaultProgress vault;
  vault.rows_read = 100;
  vault.bytes_start = 50000;
  vault.bytes_read = 50000 + 100 * 10;
  vault.bytes_total = 61000;
  EXPECT_EQ(EstimateTotal(vault, 0).rows, 1100u);
}

TEST(VaultProgressTest, TotalIsUnknownWithoutSizes) {
  VaultProgress vault;
  vault.rows_read = 10;
  EXPECT_EQ(EstimateTotal(vault, 0).kind, TotalKind::kUnknown);
  vault.bytes_total = 100;  // but nothing read yet: no bytes per row
  vault.rows_read = 0;
  EXPECT_EQ(EstimateTotal(vault, 0).kind, TotalKind::kUnknown);
}

}  // namespace
}  // namespace skyflow
