#include "error_log/error_log_analysis.h"

#include <gtest/gtest.h>

#include <string>

namespace skyflow {
namespace {

ErrorLogEntry Failure(uint64_t batch, int64_t status, const std::string& message,
                      const std::string& time = "2025-10-16T14:30:52Z") {
  ErrorLogEntry entry;
  entry.vault = "NAME";
  entry.vault_id = "s6d7";
  entry.column = "name";
  entry.time = time;
  entry.stage = ErrorLogStage::kVault;
  entry.outcome = status == 409 ? ErrorLogOutcome::kConflict : ErrorLogOutcome::kFailed;
  entry.batch = batch;
  entry.status = status;
  entry.message = message;
  return entry;
}

ErrorLogEntry SourceReject(const std::string& message) {
  ErrorLogEntry entry;
  entry.vault = "NAME";
  entry.stage = ErrorLogStage::kSource;
  entry.outcome = ErrorLogOutcome::kRejected;
  entry.message = message;
  return entry;
}

TEST(ErrorLogAnalysisTest, CountsRecordsBatchesStatusesAndWhatIsResent) {
  ErrorLogTally tally(RetrySelection{});
  int resent = 0;
  // Batch 1: 3 records, 500. Batch 2: 2 records, 429. Batch 3: one
  // transport error. Batch 4: one conflict, one 400. Two source rejects.
  for (int i = 0; i < 3; ++i)
    resent += tally.Add(Failure(1, 500, "HTTP 500", "2025-10-16T14:30:50Z"));
  for (int i = 0; i < 2; ++i)
    resent += tally.Add(Failure(2, 429, "HTTP 429", "2025-10-16T14:30:52Z"));
  resent += tally.Add(Failure(3, 0, "connection reset", "2025-10-16T14:30:51Z"));
  resent += tally.Add(Failure(4, 409, "token held by another value"));
  resent += tally.Add(Failure(4, 400, "value too long"));
  resent += tally.Add(SourceReject("empty value"));
  resent += tally.Add(SourceReject("empty value"));

  const ErrorLogAnalysis& a = tally.analysis();
  EXPECT_EQ(resent, 6);
  EXPECT_EQ(a.records, 10u);
  EXPECT_EQ(a.resend, 6u);
  EXPECT_EQ(a.skipped, 4u);
  EXPECT_EQ(a.batches, 6u) << "runs of batch, status and message";
  EXPECT_EQ(a.vault, "NAME");
  EXPECT_EQ(a.vault_id, "s6d7");
  EXPECT_EQ(a.earliest_time, "2025-10-16T14:30:50Z");
  EXPECT_EQ(a.latest_time, "2025-10-16T14:30:52Z");
  EXPECT_EQ(a.ByClass(FailureClass::kServerError), 3u);
  EXPECT_EQ(a.ByClass(FailureClass::kBusy), 2u);
  EXPECT_EQ(a.ByClass(FailureClass::kTransport), 1u);
  EXPECT_EQ(a.ByClass(FailureClass::kConflict), 1u);
  EXPECT_EQ(a.ByClass(FailureClass::kRefused), 1u);
  EXPECT_EQ(a.ByClass(FailureClass::kSourceReject), 2u);
  ASSERT_EQ(a.by_status.size(), 5u) << "source rejects have no status";
  EXPECT_EQ(a.by_status.at(500).records, 3u);
  EXPECT_EQ(a.by_status.at(500).batches, 1u);
  EXPECT_EQ(a.by_status.at(0).records, 1u);
  EXPECT_EQ(a.by_message.at("empty value"), 2u);
  EXPECT_EQ(a.other_messages, 0u);
}

TEST(ErrorLogAnalysisTest, UpsertAndEverythingWidenTheSelection) {
  ErrorLogTally upsert(RetrySelection{.upsert = true});
  EXPECT_TRUE(upsert.Add(Failure(1, 409, "conflict")));
  EXPECT_FALSE(upsert.Add(SourceReject("empty value")));
  ErrorLogTally all(RetrySelection{.everything = true});
  EXPECT_TRUE(all.Add(Failure(1, 400, "refused")));
  EXPECT_TRUE(all.Add(SourceReject("empty value")));
  EXPECT_EQ(all.analysis().skipped, 0u);
}

TEST(ErrorLogAnalysisTest, KeepsABoundedNumberOfMessages) {
  ErrorLogTally tally(RetrySelection{});
  for (int i = 0; i < 100; ++i)
    tally.Add(Failure(static_cast<uint64_t>(i), 500, "message " + std::to_string(i)));
  EXPECT_EQ(tally.analysis().by_message.size(), ErrorLogAnalysis::kMaxMessages);
  EXPECT_EQ(tally.analysis().other_messages, 100u - ErrorLogAnalysis::kMaxMessages);
  EXPECT_EQ(tally.analysis().batches, 100u);
}

TEST(ErrorLogAnalysisTest, TheScreenShowsCountsSkipsAndThePlan) {
  ErrorLogTally tally(RetrySelection{});
  for (int i = 0; i < 600; ++i)
    tally.Add(Failure(1 + static_cast<uint64_t>(i) / 300, 503, "HTTP 503"));
  tally.Add(SourceReject("empty token"));
  ReprocessPlan plan;
  plan.path = "error_log_NAME_20251016_143052.json";
  plan.format = "Go loader";
  plan.batch_size = 300;
  plan.concurrency = 32;
  const std::time_t now = 1760625052 + 2 * 3600 + 15 * 60 + 30;  // 14:30:52 + 2h15m30s
  const std::string screen = FormatAnalysisScreen(tally.analysis(), plan, {}, now);
  for (const char* expected :
       {"ERROR LOG ANALYSIS", "File: error_log_NAME_20251016_143052.json (Go loader format)",
        "Vault: NAME (ID: s6d7, Column: name)", "Original Error Timestamp: 2025-10-16 14:30:52 UTC",
        "Time Since Error: 2h 15m 30s ago", "Failed Batches: 3", "Failed Records: 601",
        "Average Batch Size: 200.3 records/batch",
        "HTTP 503 (Server Error): 2 batches, 600 records", "Rejected by the source: 1 record",
        "rejected by the source: 1 record (the input is wrong", "Records to Resend: 600",
        "Total Batches: 2", "Upsert Mode: DISABLED", "Estimated Time: ~1 second",
        "WARNING: This will attempt to reprocess 600 records."}) {
    EXPECT_NE(screen.find(expected), std::string::npos) << expected << "\n" << screen;
  }
  EXPECT_EQ(screen.find("\xF0\x9F"), std::string::npos) << "no emoji unless asked";
  const std::string styled = FormatAnalysisScreen(tally.analysis(), plan, {.emoji = true}, now);
  EXPECT_NE(styled.find("\xF0\x9F\x93\x8B ERROR LOG INFORMATION:"), std::string::npos);
}

TEST(ErrorLogAnalysisTest, FormatsNumbersAndElapsedTime) {
  EXPECT_EQ(GroupedNumber(0), "0");
  EXPECT_EQ(GroupedNumber(999), "999");
  EXPECT_EQ(GroupedNumber(100200), "100,200");
  EXPECT_EQ(GroupedNumber(1234567), "1,234,567");
  EXPECT_EQ(FormatElapsed(5), "5s");
  EXPECT_EQ(FormatElapsed(8130), "2h 15m 30s");
  EXPECT_EQ(FormatElapsed(90061), "1d 1h 1m 1s");
  EXPECT_EQ(FormatElapsed(-3), "0s");
}

}  // namespace
}  // namespace skyflow
