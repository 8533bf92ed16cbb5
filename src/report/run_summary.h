// The end-of-run report: a human-readable summary per vault and overall, and
// the same figures as JSON for automation (-summary-json; every field is
// documented in docs/SUMMARY_JSON.md, and a test holds the two together).
// Pure formatting of a finished LoadResult; thread-safe.
//
// The overall verdict (and so the exit code) follows from the counts of the
// whole load (earlier runs of a resumed load included): complete only when
// every row read is in the vault (loaded, or already present with the same
// token).
#pragma once

#include <string>
#include <vector>

#include "pipeline/run_load.h"
#include "report/resource_usage.h"

namespace skyflow {

struct RunTotals {
  uint64_t rows_read = 0;
  uint64_t records_read = 0;
  uint64_t loaded = 0;
  uint64_t already_present = 0;
  uint64_t conflicts = 0;
  uint64_t failed = 0;
  uint64_t rejected = 0;
  uint64_t unsent = 0;
  uint64_t requests = 0;
  uint64_t retries = 0;
  uint64_t throttled = 0;
  uint64_t unavailable = 0;
  uint64_t server_errors = 0;
  uint64_t transport_errors = 0;
  uint64_t lookups = 0;

  // Every row read is in the vault: stored now, or found there already.
  bool complete() const { return loaded + already_present == rows_read; }
};

// Request latencies of some vaults, in milliseconds; percentiles from the
// vaults' histograms (bucket bounds, kept within min and max). All 0 when
// there were no requests.
struct LatencyFigures {
  double avg_ms = 0;
  double min_ms = 0;
  double max_ms = 0;
  double p50_ms = 0;
  double p95_ms = 0;
  double p99_ms = 0;
};
LatencyFigures LatencyOf(const std::vector<const VaultStats*>& vaults);

// This run's counts.
RunTotals TotalsOf(const LoadResult& result);
// The whole load: this run's counts plus what the earlier runs of a resumed
// load had settled (the checkpoints it resumed from).
RunTotals WholeLoadTotalsOf(const LoadResult& result);

// 1234567 -> "1,234,567"
std::string GroupDigits(uint64_t value);

std::string FormatSummaryText(const LoadResult& result, const ResourceUsage& usage);

// The summary's last line, "RESULT: complete: ..." or "RESULT: INCOMPLETE:
// ...", alone (-q prints only this).
std::string FormatVerdictLine(const LoadResult& result);

// The version of the JSON summary's layout ("schema_version"): raised when a
// field is removed or changes meaning; new fields keep it.
inline constexpr int kSummaryJsonSchemaVersion = 1;

std::string FormatSummaryJson(const LoadResult& result, const ResourceUsage& usage);

}  // namespace skyflow
