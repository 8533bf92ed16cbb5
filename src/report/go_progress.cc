#include "report/go_progress.h"

#include <cinttypes>
#include <cstdio>

namespace skyflow {
namespace {

constexpr uint64_t kRowsPerUnknownStep = 10000;

std::string VaultSuffix(const std::string& vault) {
  return vault.empty() ? "" : " | Vault: " + vault;
}

double PerSecond(uint64_t count, double seconds) {
  return seconds > 0 ? static_cast<double>(count) / seconds : 0.0;
}

// Which step of the Progress cadence `done` is at: each whole percent of a
// known total, else each 10,000 rows.
uint64_t StepOf(uint64_t done, const RowTotal& total) {
  if (total.kind == TotalKind::kUnknown || total.rows == 0) return done / kRowsPerUnknownStep;
  return done >= total.rows ? 100 : done * 100 / total.rows;
}

}  // namespace

std::string FormatGoLiveLine(const GoLiveFigures& f, const std::string& vault) {
  char line[512];
  std::snprintf(line, sizeof(line),
                "[LIVE] Workers: %" PRIu64 "/%" PRIu64 " | HTTP: %" PRIu64
                " in-flight | Req: %.0f/s | Rec: %.0f/s | Latency: avg=%" PRIu64 "ms min=%" PRIu64
                "ms max=%" PRIu64 "ms | 429s: %" PRIu64,
                f.workers_active, f.workers_total, f.in_flight, f.requests_per_second,
                f.records_per_second, f.latency_avg_ms, f.latency_min_ms, f.latency_max_ms,
                f.throttled);
  return line + VaultSuffix(vault);
}

std::string FormatGoProgressLine(const GoProgressFigures& f, const std::string& vault) {
  char counts[128];
  if (f.total.kind == TotalKind::kUnknown) {
    std::snprintf(counts, sizeof(counts), "%" PRIu64 " records", f.done);
  } else {
    const double percent =
        f.total.rows == 0 ? 100.0 : 100.0 * static_cast<double>(f.done) / f.total.rows;
    std::snprintf(counts, sizeof(counts), "%" PRIu64 "/%s%" PRIu64 " records (%.1f%%)", f.done,
                  f.total.kind == TotalKind::kEstimated ? "~" : "", f.total.rows, percent);
  }
  const uint64_t succeeded = f.batches_immediate + f.batches_retried;
  char success[32];
  if (f.batches_failed == 0) {
    std::snprintf(success, sizeof(success), "100%%");
  } else {
    std::snprintf(success, sizeof(success), "%.1f%%",
                  100.0 * static_cast<double>(succeeded) / (succeeded + f.batches_failed));
  }
  char line[512];
  std::snprintf(line, sizeof(line),
                "Progress: %s - %.0f records/sec | Batches: %" PRIu64 "\u2705 (%" PRIu64
                " immediate, %" PRIu64 " retried) %" PRIu64 "\u274c (%s success) | 429s: %" PRIu64,
                counts, f.records_per_second, succeeded, f.batches_immediate, f.batches_retried,
                f.batches_failed, success, f.throttled);
  return line + VaultSuffix(vault);
}

GoProgressReporter::Seen& GoProgressReporter::SeenFor(size_t index) {
  if (seen_.size() <= index) seen_.resize(index + 1);
  return seen_[index];
}

std::string GoProgressReporter::ProgressLine(double seconds, const VaultProgress& vault,
                                             bool several) const {
  GoProgressFigures figures;
  figures.done = vault.done();
  figures.total = EstimateTotal(vault, max_rows_);
  figures.records_per_second = PerSecond(figures.done, seconds);
  figures.batches_immediate = vault.batches_immediate;
  figures.batches_retried = vault.batches_retried;
  figures.batches_failed = vault.batches_failed;
  figures.throttled = vault.throttled;
  return FormatGoProgressLine(figures, several ? vault.name : "") + "\n";
}

std::string GoProgressReporter::Tick(double seconds, const std::vector<VaultProgress>& vaults) {
  std::string out;
  const bool several = vaults.size() > 1;
  if (seconds - last_live_ >= live_interval_) {
    const double window = seconds - last_live_;
    for (size_t i = 0; i < vaults.size(); ++i) {
      const VaultProgress& vault = vaults[i];
      Seen& seen = SeenFor(i);
      const uint64_t requests = vault.requests - seen.requests;
      GoLiveFigures figures;
      figures.workers_active = vault.limit;
      figures.workers_total = vault.ceiling;
      figures.in_flight = vault.in_flight;
      figures.requests_per_second = PerSecond(requests, window);
      figures.records_per_second = PerSecond(vault.done() - seen.done, window);
      figures.latency_avg_ms =
          requests == 0 ? 0 : (vault.latency_micros_total - seen.latency_micros) / requests / 1000;
      figures.latency_min_ms = vault.latency_min_micros / 1000;
      figures.latency_max_ms = vault.latency_max_micros / 1000;
      figures.throttled = vault.throttled;
      out += FormatGoLiveLine(figures, several ? vault.name : "") + "\n";
      seen.requests = vault.requests;
      seen.done = vault.done();
      seen.latency_micros = vault.latency_micros_total;
    }
    last_live_ = seconds;
  }
  for (size_t i = 0; i < vaults.size(); ++i) {
    Seen& seen = SeenFor(i);
    const uint64_t done = vaults[i].done();
    const uint64_t step = StepOf(done, EstimateTotal(vaults[i], max_rows_));
    if (step > seen.progress_step && done > seen.progress_done) {
      out += ProgressLine(seconds, vaults[i], several);
      seen.progress_step = step;
      seen.progress_done = done;
    }
  }
  return out;
}

std::string GoProgressReporter::Finish(double seconds, const std::vector<VaultProgress>& vaults) {
  std::string out;
  for (size_t i = 0; i < vaults.size(); ++i) {
    Seen& seen = SeenFor(i);
    if (vaults[i].done() == seen.progress_done && seen.progress_done > 0) continue;
    out += ProgressLine(seconds, vaults[i], vaults.size() > 1);
    seen.progress_done = vaults[i].done();
  }
  return out;
}

}  // namespace skyflow
