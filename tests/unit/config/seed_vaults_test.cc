#include "config/seed_vaults.h"

#include <gtest/gtest.h>

namespace skyflow {
namespace {

TEST(SeedVaultsTest, AGoConfigsVaultGetsTheSeedsLayoutWhateverItsCase) {
  VaultConfig vault;
  vault.name = "name";
  vault.column = "name";
  ApplySeedVaultDefaults(&vault);
  EXPECT_EQ(vault.value_header, "full_name");
  EXPECT_EQ(vault.snowflake.value_expression, "UPPER(full_name)");
  EXPECT_EQ(vault.snowflake.token_column, "full_name_token");
  EXPECT_EQ(vault.snowflake.detok_udf, "SKFL_MBR_NAME_DETOK");
  EXPECT_EQ(vault.mock_values, "name");
}

TEST(SeedVaultsTest, ConfiguredSettingsWin) {
  VaultConfig vault;
  vault.name = "SSN";
  vault.column = "ssn";
  vault.value_header = "social";
  vault.snowflake.mbr_column = "MEMBER_SSN";
  ApplySeedVaultDefaults(&vault);
  EXPECT_EQ(vault.value_header, "social");
  EXPECT_EQ(vault.snowflake.mbr_column, "MEMBER_SSN");
  EXPECT_EQ(vault.snowflake.clm_column, "SRC_MBR_SSN");
}

TEST(SeedVaultsTest, OtherVaultsGetNeutralDefaultsFromTheirColumn) {
  VaultConfig vault;
  vault.name = "CARDS";
  vault.column = "card_number";
  ApplySeedVaultDefaults(&vault);
  EXPECT_EQ(vault.value_header, "card_number");
  EXPECT_EQ(vault.snowflake.value_column, "card_number");
  EXPECT_EQ(vault.snowflake.value_expression, "");
  EXPECT_EQ(vault.snowflake.token_column, "card_number_token");
  EXPECT_EQ(vault.snowflake.clm_column, "");
  EXPECT_EQ(vault.mock_values, "generic");
}

}  // namespace
}  // namespace skyflow
