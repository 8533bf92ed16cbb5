#include "source/snowflake_query.h"

#include <gtest/gtest.h>

#include "config/seed_vaults.h"

namespace skyflow {
namespace {

VaultConfig SeedVault(const std::string& name) {
  for (const VaultConfig& vault : DefaultVaults()) {
    if (vault.name == name) return vault;
  }
  ADD_FAILURE() << "no seed vault " << name;
  return {};
}

SnowflakeConfig UnionConfig() {
  SnowflakeConfig snowflake;
  snowflake.database = "D01_SKYFLOW_POC";
  snowflake.schema = "SKYFLOW_POC";
  snowflake.query_mode = "union";
  return snowflake;
}

TEST(SnowflakeQueryTest, SimpleModeIsTheGoLoadersQueryForTheNameVault) {
  const Result<std::string> query = BuildVaultQuery(SnowflakeConfig{}, SeedVault("NAME"), {});
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  EXPECT_EQ(*query,
            "SELECT DISTINCT UPPER(full_name) AS full_name, full_name_token\n"
            "FROM ELEVANCE.PUBLIC.PATIENTS\n"
            "WHERE full_name IS NOT NULL AND full_name_token IS NOT NULL");
}

TEST(SnowflakeQueryTest, SimpleModeCastsDatesAndQualifiesABareTable) {
  SnowflakeConfig snowflake;
  snowflake.table = "PATIENTS";
  const Result<std::string> query = BuildVaultQuery(snowflake, SeedVault("DOB"), {});
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(*query,
            "SELECT DISTINCT TO_VARCHAR(dob) AS dob, dob_token\n"
            "FROM SKYFLOW_DEMO.PUBLIC.PATIENTS\n"
            "WHERE dob IS NOT NULL AND dob_token IS NOT NULL");
}

TEST(SnowflakeQueryTest, UnionModeIsTheGoLoadersSsnQueryWithAQualifiedUdf) {
  const Result<std::string> query = BuildVaultQuery(UnionConfig(), SeedVault("SSN"), {});
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(*query,
            "SELECT SSN, D01_SKYFLOW_POC.SKYFLOW_POC.SKFL_SSN_DETOK(SSN) AS ssn_token\n"
            "FROM (\n"
            "  SELECT SRC_MBR_SSN AS SSN FROM D01_SKYFLOW_POC.SKYFLOW_POC.CLM GROUP BY 1\n"
            "  UNION\n"
            "  SELECT SSN FROM D01_SKYFLOW_POC.SKYFLOW_POC.MBR GROUP BY 1\n"
            ") DT\n"
            "GROUP BY 1, 2");
}

TEST(SnowflakeQueryTest, UnionModeTakesTheUdfsDatabaseAndSchemaFromConfig) {
  SnowflakeConfig snowflake = UnionConfig();
  snowflake.udf_database = "SKYFLOW_UDFS";
  snowflake.udf_schema = "DETOK";
  const Result<std::string> query = BuildVaultQuery(snowflake, SeedVault("DOB"), {});
  ASSERT_TRUE(query.ok());
  EXPECT_NE(query->find("SKYFLOW_UDFS.DETOK.SKFL_BIRTHDATE_DETOK(BIRTH_DT)"), std::string::npos)
      << *query;
}

TEST(SnowflakeQueryTest, GenericModeReadsTokenColumns) {
  SnowflakeConfig snowflake = UnionConfig();
  snowflake.query_mode = "generic";
  snowflake.clm_table = "OTHER_DB.CLAIMS.CLM";
  const Result<std::string> query = BuildVaultQuery(snowflake, SeedVault("ID"), {});
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(*query,
            "SELECT MBR_ID, MBR_ID_TOKEN\n"
            "FROM (\n"
            "  SELECT SRC_MBR_ID AS MBR_ID, SRC_MBR_ID_TOKEN AS MBR_ID_TOKEN FROM "
            "OTHER_DB.CLAIMS.CLM GROUP BY 1, 2\n"
            "  UNION\n"
            "  SELECT MBR_ID, MBR_ID_TOKEN FROM D01_SKYFLOW_POC.SKYFLOW_POC.MBR GROUP BY 1, 2\n"
            ") DT");
}

TEST(SnowflakeQueryTest, MaxRecordsLimitsWithoutOrdering) {
  const Result<std::string> query =
      BuildVaultQuery(SnowflakeConfig{}, SeedVault("SSN"), RowWindow{0, 0, 100});
  ASSERT_TRUE(query.ok());
  EXPECT_TRUE(query->ends_with("IS NOT NULL\nLIMIT 100")) << *query;
}

TEST(SnowflakeQueryTest, ChunksAreOrderedSoThatTheyNeitherOverlapNorMissRows) {
  Result<std::string> query =
      BuildVaultQuery(SnowflakeConfig{}, SeedVault("SSN"), RowWindow{1000, 3000, 0});
  ASSERT_TRUE(query.ok());
  EXPECT_TRUE(query->ends_with("\nORDER BY 1, 2\nLIMIT 2000 OFFSET 1000")) << *query;
  // The smaller of -max-records and the window wins.
  query = BuildVaultQuery(SnowflakeConfig{}, SeedVault("SSN"), RowWindow{1000, 3000, 500});
  ASSERT_TRUE(query.ok());
  EXPECT_TRUE(query->ends_with("\nLIMIT 500 OFFSET 1000")) << *query;
  // No end: every row after the start.
  query = BuildVaultQuery(SnowflakeConfig{}, SeedVault("SSN"), RowWindow{1000, 0, 0});
  ASSERT_TRUE(query.ok());
  EXPECT_TRUE(query->ends_with("\nORDER BY 1, 2\nLIMIT NULL OFFSET 1000")) << *query;
}

TEST(SnowflakeQueryTest, ACustomQueryWinsOverTheModeAndIsWrappedForItsWindow) {
  VaultConfig vault = SeedVault("SSN");
  vault.query = "SELECT a, b FROM t WHERE c = 'x';  \n";
  Result<std::string> query = BuildVaultQuery(UnionConfig(), vault, {});
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(*query, "SELECT a, b FROM t WHERE c = 'x'");
  query = BuildVaultQuery(UnionConfig(), vault, RowWindow{0, 0, 10});
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(*query, "SELECT * FROM (\nSELECT a, b FROM t WHERE c = 'x'\n) AS vault_rows\nLIMIT 10");
}

TEST(SnowflakeQueryTest, NamesThatAreNotIdentifiersAreRefusedWithTheSetting) {
  SnowflakeConfig snowflake;
  snowflake.table = "PATIENTS; DROP TABLE X";
  Result<std::string> query = BuildVaultQuery(snowflake, SeedVault("NAME"), {});
  ASSERT_FALSE(query.ok());
  EXPECT_NE(query.status().message().find("-sf-table"), std::string::npos);
  EXPECT_NE(query.status().message().find("\"query\""), std::string::npos);

  VaultConfig vault = SeedVault("SSN");
  vault.snowflake.detok_udf = "bad-name";
  query = BuildVaultQuery(UnionConfig(), vault, {});
  ASSERT_FALSE(query.ok());
  EXPECT_NE(query.status().message().find("vault SSN: snowflake.detok_udf"), std::string::npos);
}

TEST(SnowflakeQueryTest, UnionModeNeedsTheVaultsColumns) {
  VaultConfig cards;
  cards.name = "CARDS";
  cards.column = "card";
  ApplySeedVaultDefaults(&cards);
  const Result<std::string> query = BuildVaultQuery(UnionConfig(), cards, {});
  ASSERT_FALSE(query.ok());
  EXPECT_NE(query.status().message().find("vault CARDS: snowflake.clm_column is not set"),
            std::string::npos)
      << query.status().message();
  // Simple mode works from the column alone.
  const Result<std::string> simple = BuildVaultQuery(SnowflakeConfig{}, cards, {});
  ASSERT_TRUE(simple.ok());
  EXPECT_NE(simple->find("SELECT DISTINCT card AS card, card_token"), std::string::npos);
}

TEST(SnowflakeQueryTest, UnknownModeAndEmptyWindowsAreUsageErrors) {
  SnowflakeConfig snowflake;
  snowflake.query_mode = "fancy";
  EXPECT_FALSE(BuildVaultQuery(snowflake, SeedVault("SSN"), {}).ok());
  EXPECT_FALSE(BuildVaultQuery(SnowflakeConfig{}, SeedVault("SSN"), RowWindow{10, 10, 0}).ok());
}

}  // namespace
}  // namespace skyflow
