#include "report/run_summary.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace skyflow {
namespace {

LoadResult TwoVaults() {
  LoadResult result;
  result.elapsed = std::chrono::seconds(2);
  for (const char* name : {"NAME", "SSN"}) {
    VaultLoadResult vault;
    vault.name = name;
    vault.id = std::string("id_") + name;
    vault.source = "CSV x + y";
    vault.elapsed = std::chrono::seconds(2);
    vault.stats->rows_read = 1000;
    vault.stats->records_read = 990;
    vault.stats->rejected = 10;
    vault.stats->loaded = 970;
    vault.stats->already_present = 10;
    vault.stats->conflicts = 10;
    vault.stats->requests = 4;
    vault.error_log_path = std::string("run/error_log_") + name + "_20261124_100000.jsonl";
    vault.error_log_lines = 20;
    result.vaults.push_back(std::move(vault));
  }
  result.run_directory = "run";
  return result;
}

TEST(RunSummaryTest, TotalsAddUpAcrossVaults) {
  const RunTotals totals = TotalsOf(TwoVaults());
  EXPECT_EQ(totals.rows_read, 2000u);
  EXPECT_EQ(totals.loaded, 1940u);
  EXPECT_EQ(totals.already_present, 20u);
  EXPECT_EQ(totals.rejected, 20u);
  EXPECT_EQ(totals.conflicts, 20u);
  EXPECT_FALSE(totals.complete());
}

TEST(RunSummaryTest, TextNamesEveryVaultItsErrorLogAndTheVerdict) {
  const std::string text = FormatSummaryText(TwoVaults(), ResourceUsage{});
  EXPECT_NE(text.find("NAME vault (id id_NAME"), std::string::npos) << text;
  EXPECT_NE(text.find("SSN vault (id id_SSN"), std::string::npos);
  EXPECT_NE(text.find("1,940"), std::string::npos);
  EXPECT_NE(text.find("Already present:       20"), std::string::npos) << text;
  EXPECT_NE(text.find("run/error_log_SSN_20261124_100000.jsonl (20 rows"), std::string::npos)
      << text;
  EXPECT_NE(text.find("Run directory:         run"), std::string::npos) << text;
  EXPECT_NE(text.find("RESULT: INCOMPLETE: 40 of 2,000"), std::string::npos) << text;
  EXPECT_NE(text.find("970 records/s"), std::string::npos) << text;
}

TEST(RunSummaryTest, JsonCarriesTheSameFigures) {
  const std::string json = FormatSummaryJson(TwoVaults(), ResourceUsage{});
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_FALSE(parser.parse(json).get(root)) << json;
  bool complete = true;
  uint64_t loaded = 0;
  ASSERT_FALSE(root["complete"].get_bool().get(complete));
  ASSERT_FALSE(root["loaded"].get_uint64().get(loaded));
  EXPECT_FALSE(complete);
  EXPECT_EQ(loaded, 1940u);
  uint64_t present = 0;
  ASSERT_FALSE(root["already_present"].get_uint64().get(present));
  EXPECT_EQ(present, 20u);
  simdjson::dom::array vaults;
  ASSERT_FALSE(root["vaults"].get_array().get(vaults));
  EXPECT_EQ(vaults.size(), 2u);
}

TEST(RunSummaryTest, TextHasTheGoLoadersSectionsAndTheLoadersCost) {
  LoadResult result = TwoVaults();
  VaultStats& name = *result.vaults[0].stats;
  name.batches_immediate = 8;
  name.batches_retried = 2;
  name.batches_failed = 0;
  name.latency_micros_total = 4 * 500000;  // 2 s of requests over 2 s of wall time
  for (int i = 0; i < 4; ++i)
    name.latency.Record(500000);
  name.producer_micros = 100000;
  ResourceUsage usage;
  usage.user_cpu = std::chrono::seconds(3);
  usage.system_cpu = std::chrono::seconds(1);
  const std::string text = FormatSummaryText(result, usage);
  EXPECT_NE(text.find("    Batch success rate:  10/10 batches (100.0%)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("    Immediate successes: 8 (80.0% of batches)"), std::string::npos);
  EXPECT_NE(text.find("    Retried successes:   2 (20.0% of batches)"), std::string::npos);
  EXPECT_NE(text.find("    Records uploaded:    980 (loaded or already present)"),
            std::string::npos);
  EXPECT_NE(text.find("    Throughput:          490 records/sec (successful only)"),
            std::string::npos);
  EXPECT_NE(text.find("  Latency:               avg 500.0 ms, min 500.0 ms, max 500.0 ms; p50 "
                      "500.0 ms, p95 500.0 ms, p99 500.0 ms"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("TIMING BREAKDOWN"), std::string::npos);
  EXPECT_NE(text.find("    Skyflow API calls                 2.0s      95.2%"), std::string::npos)
      << text;
  EXPECT_NE(text.find("    Average concurrency: 1.0x"), std::string::npos) << text;
  // 4 s of CPU for 2,000 rows read: 2,000 s per million.
  EXPECT_NE(text.find("  CPU per 1M records:    2000.0 s"), std::string::npos) << text;
  EXPECT_NE(text.find("ERROR SUMMARY\n  40 records not in the vault: 20 conflicts, 0 failed, 20 "
                      "rejected, 0 not sent\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  SSN: run/error_log_SSN_20261124_100000.jsonl (20 rows"), std::string::npos)
      << text;
}

TEST(RunSummaryTest, GroupsDigits) {
  EXPECT_EQ(GroupDigits(0), "0");
  EXPECT_EQ(GroupDigits(999), "999");
  EXPECT_EQ(GroupDigits(1000), "1,000");
  EXPECT_EQ(GroupDigits(1234567), "1,234,567");
}

}  // namespace
}  // namespace skyflow

namespace skyflow {
namespace {

TEST(RunSummaryTest, AResumedLoadIsJudgedAsAWhole) {
  LoadResult result;
  VaultLoadResult vault;
  vault.name = "NAME";
  vault.stats->rows_read = 600;
  vault.stats->records_read = 600;
  vault.stats->loaded = 500;
  vault.stats->already_present = 100;  // stored by the stopped run, after its checkpoint
  vault.resumed_from.next_sequence = 400;
  vault.resumed_from.tally.loaded = 399;
  vault.resumed_from.tally.rejected = 1;
  result.vaults.push_back(std::move(vault));

  EXPECT_TRUE(TotalsOf(result).complete()) << "this run alone left nothing out";
  const RunTotals whole = WholeLoadTotalsOf(result);
  EXPECT_EQ(whole.rows_read, 1000u);
  EXPECT_EQ(whole.loaded, 899u);
  EXPECT_EQ(whole.rejected, 1u);
  EXPECT_FALSE(whole.complete()) << "a row rejected by an earlier run is still not in the vault";

  const std::string text = FormatSummaryText(result, ResourceUsage{});
  EXPECT_NE(text.find("Earlier runs:          400 rows: 399 loaded"), std::string::npos) << text;
  EXPECT_NE(text.find("WHOLE LOAD"), std::string::npos) << text;
  EXPECT_NE(text.find("RESULT: INCOMPLETE: 1 of 1,000"), std::string::npos) << text;
}

}  // namespace
}  // namespace skyflow
