#include "report/prometheus_text.h"

#include <gtest/gtest.h>

#include <string>

#include "pipeline/vault_stats.h"
#include "report/metrics_snapshot.h"

namespace skyflow {
namespace {

VaultMetrics SmallVault() {
  VaultMetrics vault;
  vault.name = "NAME";
  vault.rows_read = 12;
  vault.loaded = 7;
  vault.already_present = 2;
  vault.conflicts = 1;
  vault.failed = 0;
  vault.rejected = 2;
  vault.unsent = 0;
  vault.batches_immediate = 3;
  vault.batches_retried = 1;
  vault.batches_failed = 1;
  vault.retries = 2;
  vault.lookups = 1;
  vault.requests_by_status = {{0, 1}, {200, 4}, {429, 2}};
  vault.latency_buckets = {{0.0001, 0}, {0.0002, 1}, {0.5, 6}};
  vault.latency_count = 7;
  vault.latency_sum_seconds = 1.25;
  vault.in_flight = 3;
  vault.concurrency_limit = 4;
  vault.concurrency_ceiling = 32;
  return vault;
}

TEST(PrometheusTextTest, RendersASmallSnapshotExactly) {
  MetricsSnapshot snapshot;
  snapshot.version = "0.1.0";
  snapshot.start_time_seconds = 1764480000.5;
  snapshot.resident_memory_bytes = 1048576;
  snapshot.vaults.push_back(SmallVault());
  const std::string expected =
      "# HELP skyflow_loader_info The loader's version, as a label; always 1.\n"
      "# TYPE skyflow_loader_info gauge\n"
      "skyflow_loader_info{version=\"0.1.0\"} 1\n"
      "# HELP skyflow_loader_process_start_time_seconds Start time of the loader process since "
      "the Unix epoch, in seconds.\n"
      "# TYPE skyflow_loader_process_start_time_seconds gauge\n"
      "skyflow_loader_process_start_time_seconds 1764480000.5\n"
      "# HELP skyflow_loader_process_resident_memory_bytes Resident memory of the loader "
      "process, in bytes.\n"
      "# TYPE skyflow_loader_process_resident_memory_bytes gauge\n"
      "skyflow_loader_process_resident_memory_bytes 1048576\n"
      "# HELP skyflow_loader_rows_read_total Rows read from the source (records plus rejected "
      "rows).\n"
      "# TYPE skyflow_loader_rows_read_total counter\n"
      "skyflow_loader_rows_read_total{vault=\"NAME\"} 12\n"
      "# HELP skyflow_loader_records_total Records by outcome: loaded (stored by this run), "
      "already_present (the vault held the same pair), conflicts (token or value stored with "
      "another partner), failed (refused, or retries given up), rejected (by the source, never "
      "sent), unsent (the run stopped first).\n"
      "# TYPE skyflow_loader_records_total counter\n"
      "skyflow_loader_records_total{vault=\"NAME\",outcome=\"loaded\"} 7\n"
      "skyflow_loader_records_total{vault=\"NAME\",outcome=\"already_present\"} 2\n"
      "skyflow_loader_records_total{vault=\"NAME\",outcome=\"conflicts\"} 1\n"
      "skyflow_loader_records_total{vault=\"NAME\",outcome=\"failed\"} 0\n"
      "skyflow_loader_records_total{vault=\"NAME\",outcome=\"rejected\"} 2\n"
      "skyflow_loader_records_total{vault=\"NAME\",outcome=\"unsent\"} 0\n"
      "# HELP skyflow_loader_batches_total Groups of records settled together, as the Go loader "
      "counts batches: immediate (in the vault after the first request), retried (after "
      "resends), failed (failed or in conflict).\n"
      "# TYPE skyflow_loader_batches_total counter\n"
      "skyflow_loader_batches_total{vault=\"NAME\",outcome=\"immediate\"} 3\n"
      "skyflow_loader_batches_total{vault=\"NAME\",outcome=\"retried\"} 1\n"
      "skyflow_loader_batches_total{vault=\"NAME\",outcome=\"failed\"} 1\n"
      "# HELP skyflow_loader_requests_total HTTP requests, lookups included, by the status code "
      "of their answer (code \"0\": no answer: refused, reset or timed out).\n"
      "# TYPE skyflow_loader_requests_total counter\n"
      "skyflow_loader_requests_total{vault=\"NAME\",code=\"0\"} 1\n"
      "skyflow_loader_requests_total{vault=\"NAME\",code=\"200\"} 4\n"
      "skyflow_loader_requests_total{vault=\"NAME\",code=\"429\"} 2\n"
      "# HELP skyflow_loader_resends_total Requests whose answer sent their task again "
      "(throttled, server error, no answer).\n"
      "# TYPE skyflow_loader_resends_total counter\n"
      "skyflow_loader_resends_total{vault=\"NAME\"} 2\n"
      "# HELP skyflow_loader_lookup_requests_total Requests that looked records up after a "
      "conflict (detokenize, read by value).\n"
      "# TYPE skyflow_loader_lookup_requests_total counter\n"
      "skyflow_loader_lookup_requests_total{vault=\"NAME\"} 1\n"
      "# HELP skyflow_loader_request_duration_seconds Time from sending a request to its answer "
      "(or its failure), in seconds.\n"
      "# TYPE skyflow_loader_request_duration_seconds histogram\n"
      "skyflow_loader_request_duration_seconds_bucket{vault=\"NAME\",le=\"0.0001\"} 0\n"
      "skyflow_loader_request_duration_seconds_bucket{vault=\"NAME\",le=\"0.0002\"} 1\n"
      "skyflow_loader_request_duration_seconds_bucket{vault=\"NAME\",le=\"0.5\"} 6\n"
      "skyflow_loader_request_duration_seconds_bucket{vault=\"NAME\",le=\"+Inf\"} 7\n"
      "skyflow_loader_request_duration_seconds_sum{vault=\"NAME\"} 1.25\n"
      "skyflow_loader_request_duration_seconds_count{vault=\"NAME\"} 7\n"
      "# HELP skyflow_loader_in_flight_requests Requests in flight now.\n"
      "# TYPE skyflow_loader_in_flight_requests gauge\n"
      "skyflow_loader_in_flight_requests{vault=\"NAME\"} 3\n"
      "# HELP skyflow_loader_concurrency_limit Requests that may be in flight now (the adaptive "
      "limit, or -concurrency when fixed).\n"
      "# TYPE skyflow_loader_concurrency_limit gauge\n"
      "skyflow_loader_concurrency_limit{vault=\"NAME\"} 4\n"
      "# HELP skyflow_loader_concurrency_ceiling The most requests that may ever be in flight "
      "(-concurrency).\n"
      "# TYPE skyflow_loader_concurrency_ceiling gauge\n"
      "skyflow_loader_concurrency_ceiling{vault=\"NAME\"} 32\n";
  EXPECT_EQ(RenderPrometheusText(snapshot), expected);
}

TEST(PrometheusTextTest, WithoutVaultsEveryFamilyIsStillAnnounced) {
  MetricsSnapshot snapshot;
  snapshot.version = "0.1.0";
  const std::string text = RenderPrometheusText(snapshot);
  EXPECT_NE(text.find("# TYPE skyflow_loader_records_total counter\n"), std::string::npos);
  EXPECT_EQ(text.find("vault="), std::string::npos);
}

TEST(PrometheusTextTest, LabelValuesAreEscaped) {
  EXPECT_EQ(EscapeLabelValue("plain"), "plain");
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  MetricsSnapshot snapshot;
  VaultMetrics vault;
  vault.name = "we\"ird\\name\n";
  snapshot.vaults.push_back(vault);
  const std::string text = RenderPrometheusText(snapshot);
  EXPECT_NE(text.find("skyflow_loader_rows_read_total{vault=\"we\\\"ird\\\\name\\n\"} 0\n"),
            std::string::npos)
      << text;
  // Every line is one sample or comment: the newline in the name did not
  // break one in two.
  Result<std::vector<PrometheusSample>> samples = ParsePrometheusText(text);
  ASSERT_TRUE(samples.ok()) << samples.status().message();
  EXPECT_EQ(samples->front().name, "skyflow_loader_info");
  bool found = false;
  for (const PrometheusSample& sample : *samples) {
    if (sample.name == "skyflow_loader_rows_read_total") {
      EXPECT_EQ(sample.labels.at("vault"), "we\"ird\\name\n");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST(PrometheusTextTest, SampleValues) {
  EXPECT_EQ(FormatSampleValue(0), "0");
  EXPECT_EQ(FormatSampleValue(18446744073709.0), "18446744073709");
  EXPECT_EQ(FormatSampleValue(0.0256), "0.0256");
  EXPECT_EQ(FormatSampleValue(1.0 / 0.0), "+Inf");
  EXPECT_EQ(FormatSampleValue(-1.0 / 0.0), "-Inf");
  EXPECT_EQ(FormatSampleValue(0.0 / 0.0), "NaN");
}

TEST(PrometheusTextTest, HistogramBucketsAreCumulativeAtOneBoundPerDoubling) {
  VaultStats stats;
  // 50 us, 150 us twice, 700 us, 1 s; 1.2 s of requests in all.
  for (const uint64_t micros : {50u, 150u, 150u, 700u, 1000000u})
    stats.latency.Record(micros);
  stats.latency_micros_total = 1001050;
  const VaultMetrics vault = VaultMetricsOf("NAME", stats);
  // Bounds of 100 us x 2^k, from 100 us to about 14 min (24 of them).
  ASSERT_EQ(vault.latency_buckets.size(), 24u);
  EXPECT_DOUBLE_EQ(vault.latency_buckets[0].first, 0.0001);
  EXPECT_DOUBLE_EQ(vault.latency_buckets[1].first, 0.0002);
  EXPECT_DOUBLE_EQ(vault.latency_buckets[3].first, 0.0008);
  EXPECT_DOUBLE_EQ(vault.latency_buckets[14].first, 1.6384);
  EXPECT_EQ(vault.latency_buckets[0].second, 1u);   // <= 100 us: 50
  EXPECT_EQ(vault.latency_buckets[1].second, 3u);   // <= 200 us: and 150 twice
  EXPECT_EQ(vault.latency_buckets[2].second, 3u);   // <= 400 us
  EXPECT_EQ(vault.latency_buckets[3].second, 4u);   // <= 800 us: and 700
  EXPECT_EQ(vault.latency_buckets[13].second, 4u);  // <= 0.8192 s
  EXPECT_EQ(vault.latency_buckets[14].second, 5u);  // <= 1.6384 s: and 1 s
  for (size_t i = 1; i < vault.latency_buckets.size(); ++i) {
    EXPECT_GT(vault.latency_buckets[i].first, vault.latency_buckets[i - 1].first);
    EXPECT_GE(vault.latency_buckets[i].second, vault.latency_buckets[i - 1].second);
  }
  EXPECT_EQ(vault.latency_count, 5u);
  EXPECT_DOUBLE_EQ(vault.latency_sum_seconds, 1.00105);

  MetricsSnapshot snapshot;
  snapshot.vaults.push_back(vault);
  const std::string text = RenderPrometheusText(snapshot);
  EXPECT_NE(
      text.find("skyflow_loader_request_duration_seconds_bucket{vault=\"NAME\",le=\"0.0008\"} "
                "4\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("skyflow_loader_request_duration_seconds_bucket{vault=\"NAME\",le=\"+Inf\"} "
                      "5\n"),
            std::string::npos);
  EXPECT_NE(text.find("skyflow_loader_request_duration_seconds_count{vault=\"NAME\"} 5\n"),
            std::string::npos);
}

TEST(PrometheusTextTest, RequestsAreCountedByStatusCode) {
  VaultStats stats;
  for (const long status : {200L, 200L, 429L, 0L, 503L, 1200L})
    stats.statuses.Add(status);
  const VaultMetrics vault = VaultMetricsOf("NAME", stats);
  const std::vector<std::pair<int, uint64_t>> expected = {{0, 2}, {200, 2}, {429, 1}, {503, 1}};
  EXPECT_EQ(vault.requests_by_status, expected);
}

TEST(PrometheusTextTest, ParserRejectsWhatIsNotASample) {
  EXPECT_FALSE(ParsePrometheusText("metric{vault=\"x} 1\n").ok());
  EXPECT_FALSE(ParsePrometheusText("metric 1x\n").ok());
  Result<std::vector<PrometheusSample>> parsed =
      ParsePrometheusText("# HELP a b\nmetric_total{le=\"+Inf\"} +Inf 1700000000\n");
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0].labels.at("le"), "+Inf");
  EXPECT_GT((*parsed)[0].value, 1e300);
}

}  // namespace
}  // namespace skyflow
