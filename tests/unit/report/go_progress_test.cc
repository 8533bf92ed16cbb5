#include "report/go_progress.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace skyflow {
namespace {

// The lines as the Go loader's README shows them.
constexpr char kReadmeLive[] =
    "[LIVE] Workers: 32/32 | HTTP: 28 in-flight | Req: 15/s | Rec: 1450/s | Latency: avg=1280ms "
    "min=108ms max=3800ms | 429s: 0";
constexpr char kReadmeProgress[] =
    "Progress: 50000/100000 records (50.0%) - 1298 records/sec | Batches: "
    "500\xE2\x9C\x85 (498 immediate, 2 retried) 0\xE2\x9D\x8C (100% success) | 429s: 0";

TEST(GoProgressTest, LiveLineMatchesTheGoLoaderByteForByte) {
  GoLiveFigures figures;
  figures.workers_active = 32;
  figures.workers_total = 32;
  figures.in_flight = 28;
  figures.requests_per_second = 15.2;
  figures.records_per_second = 1449.6;
  figures.latency_avg_ms = 1280;
  figures.latency_min_ms = 108;
  figures.latency_max_ms = 3800;
  EXPECT_EQ(FormatGoLiveLine(figures), kReadmeLive);
  EXPECT_EQ(FormatGoLiveLine(figures, "SSN"), std::string(kReadmeLive) + " | Vault: SSN");
}

GoProgressFigures ReadmeProgress() {
  GoProgressFigures figures;
  figures.done = 50000;
  figures.total = {TotalKind::kExact, 100000};
  figures.records_per_second = 1298.4;
  figures.batches_immediate = 498;
  figures.batches_retried = 2;
  return figures;
}

TEST(GoProgressTest, ProgressLineMatchesTheGoLoaderByteForByte) {
  EXPECT_EQ(FormatGoProgressLine(ReadmeProgress()), kReadmeProgress);
}

TEST(GoProgressTest, EstimatedAndUnknownTotalsAreMarked) {
  GoProgressFigures figures = ReadmeProgress();
  figures.total.kind = TotalKind::kEstimated;
  EXPECT_EQ(FormatGoProgressLine(figures).rfind("Progress: 50000/~100000 records (50.0%) - ", 0),
            0u);
  figures.total.kind = TotalKind::kUnknown;
  EXPECT_EQ(FormatGoProgressLine(figures).rfind("Progress: 50000 records - 1298 records/sec", 0),
            0u);
}

TEST(GoProgressTest, SuccessRateCountsFailedBatches) {
  GoProgressFigures figures = ReadmeProgress();
  figures.batches_failed = 500;  // 500 of 1000
  figures.throttled = 7;
  EXPECT_NE(FormatGoProgressLine(figures).find("500\xE2\x9D\x8C (50.0% success) | 429s: 7"),
            std::string::npos);
}

VaultProgress Vault(uint64_t loaded, uint64_t rows_read, bool input_done) {
  VaultProgress vault;
  vault.name = "NAME";
  vault.loaded = loaded;
  vault.rows_read = rows_read;
  vault.input_done = input_done;
  vault.limit = 8;
  vault.ceiling = 8;
  return vault;
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

TEST(GoProgressTest, ReporterWritesLiveEveryThreeSecondsAndProgressAtEachPercent) {
  GoProgressReporter reporter(0);
  std::string out;
  // 1,000 rows, known; 10 rows done per 0.25 s tick: 1% per tick.
  for (int tick = 1; tick <= 100; ++tick) {
    out += reporter.Tick(tick * 0.25, {Vault(tick * 10, 1000, true)});
  }
  out += reporter.Finish(25.0, {Vault(1000, 1000, true)});
  EXPECT_EQ(Count(out, "[LIVE] "), 8u) << out;  // at 3, 6, ..., 24 s
  EXPECT_EQ(Count(out, "Progress: "), 100u) << out;
  EXPECT_NE(out.find("Progress: 1000/1000 records (100.0%)"), std::string::npos);
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_EQ(out.find('\r'), std::string::npos);
}

TEST(GoProgressTest, ReporterWritesEveryTenThousandRowsWhenTheTotalIsUnknown) {
  GoProgressReporter reporter(0);
  std::string out;
  for (int tick = 1; tick <= 10; ++tick) {
    out += reporter.Tick(tick * 0.25, {Vault(tick * 5000, tick * 5000 + 100, false)});
  }
  EXPECT_EQ(Count(out, "Progress: "), 5u) << out;
  EXPECT_NE(out.find("Progress: 10000 records - "), std::string::npos) << out;
  EXPECT_NE(out.find("Progress: 50000 records - "), std::string::npos) << out;
}

TEST(GoProgressTest, LiveLineRatesAreOverTheLastInterval) {
  GoProgressReporter reporter(0);
  VaultProgress vault = Vault(0, 0, false);
  vault.requests = 30;
  vault.latency_micros_total = 30 * 200000;  // 200 ms each
  vault.latency_min_micros = 108000;
  vault.latency_max_micros = 3800999;
  vault.in_flight = 5;
  vault.loaded = 3000;
  EXPECT_NE(reporter.Tick(3.0, {vault})
                .find("[LIVE] Workers: 8/8 | HTTP: 5 in-flight | Req: "
                      "10/s | Rec: 1000/s | Latency: avg=200ms min=108ms "
                      "max=3800ms | 429s: 0"),
            std::string::npos);
  vault.requests = 36;
  vault.latency_micros_total += 6 * 50000;  // 50 ms each
  vault.loaded = 3600;
  EXPECT_NE(reporter.Tick(6.0, {vault}).find("Req: 2/s | Rec: 200/s | Latency: avg=50ms"),
            std::string::npos);
}

TEST(GoProgressTest, SeveralVaultsNameTheirVault) {
  GoProgressReporter reporter(0);
  VaultProgress other = Vault(0, 0, false);
  other.name = "SSN";
  const std::string out = reporter.Tick(3.0, {Vault(0, 0, false), other});
  EXPECT_NE(out.find("| 429s: 0 | Vault: NAME\n"), std::string::npos) << out;
  EXPECT_NE(out.find("| 429s: 0 | Vault: SSN\n"), std::string::npos) << out;
}

}  // namespace
}  // namespace skyflow
