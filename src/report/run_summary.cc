#include "report/run_summary.h"

#include <algorithm>
#include <cstdio>

#include "net/clock.h"
#include "util/json_writer.h"

namespace skyflow {

std::string GroupDigits(uint64_t value) {
  std::string digits = std::to_string(value);
  std::string grouped;
  const size_t lead = digits.size() % 3;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (i % 3) == lead % 3) grouped.push_back(',');
    grouped.push_back(digits[i]);
  }
  return grouped;
}

namespace {

std::string Format(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), format, value);
  return buffer;
}

double Rate(uint64_t count, double seconds) {
  return seconds > 0 ? count / seconds : 0.0;
}

void AddCounts(const VaultStats& stats, RunTotals* totals) {
  totals->rows_read += LoadRelaxed(stats.rows_read);
  totals->records_read += LoadRelaxed(stats.records_read);
  totals->loaded += LoadRelaxed(stats.loaded);
  totals->already_present += LoadRelaxed(stats.already_present);
  totals->conflicts += LoadRelaxed(stats.conflicts);
  totals->failed += LoadRelaxed(stats.failed);
  totals->rejected += LoadRelaxed(stats.rejected);
  totals->unsent += LoadRelaxed(stats.unsent);
  totals->requests += LoadRelaxed(stats.requests);
  totals->retries += LoadRelaxed(stats.retries);
  totals->throttled += LoadRelaxed(stats.throttled);
  totals->unavailable += LoadRelaxed(stats.unavailable);
  totals->server_errors += LoadRelaxed(stats.server_errors);
  totals->transport_errors += LoadRelaxed(stats.transport_errors);
  totals->lookups += LoadRelaxed(stats.lookups);
}

void AppendCountLines(const RunTotals& totals, double seconds, std::string* out) {
  auto line = [out](const char* label, const std::string& value) {
    char buffer[160];
    std::snprintf(buffer, sizeof(buffer), "  %-22s %s\n", label, value.c_str());
    out->append(buffer);
  };
  line("Records read:", GroupDigits(totals.rows_read));
  line("Loaded:", GroupDigits(totals.loaded));
  line("Already present:",
       GroupDigits(totals.already_present) +
           (totals.already_present ? "  (same value and token in the vault)" : ""));
  line("Conflicts:",
       GroupDigits(totals.conflicts) +
           (totals.conflicts ? "  (token or value stored with another partner)" : ""));
  line("Failed:", GroupDigits(totals.failed));
  line("Rejected:", GroupDigits(totals.rejected) + (totals.rejected ? "  (unusable rows)" : ""));
  if (totals.unsent > 0) line("Not sent:", GroupDigits(totals.unsent) + "  (run stopped early)");
  line("Requests:", GroupDigits(totals.requests) + " (" + GroupDigits(totals.retries) +
                        " resent, " + GroupDigits(totals.lookups) + " lookups)");
  line("Answers:", GroupDigits(totals.throttled) + " x 429, " + GroupDigits(totals.unavailable) +
                       " x 503, " + GroupDigits(totals.server_errors) + " other 5xx/408, " +
                       GroupDigits(totals.transport_errors) + " without answer");
  line("Wall time:", Format("%.2f s", seconds));
  line("Throughput:",
       GroupDigits(static_cast<uint64_t>(Rate(totals.loaded, seconds))) + " records/s loaded");
}

void WriteCounts(JsonWriter& json, const RunTotals& totals) {
  json.Field("records_read", totals.rows_read)
      .Field("loaded", totals.loaded)
      .Field("already_present", totals.already_present)
      .Field("conflicts", totals.conflicts)
      .Field("failed", totals.failed)
      .Field("rejected", totals.rejected)
      .Field("unsent", totals.unsent)
      .Field("requests", totals.requests)
      .Field("retries", totals.retries)
      .Field("lookups", totals.lookups)
      .Field("throttled", totals.throttled)
      .Field("unavailable", totals.unavailable)
      .Field("server_errors", totals.server_errors)
      .Field("transport_errors", totals.transport_errors);
}

void AddTally(const RowTally& tally, RunTotals* totals) {
  totals->rows_read += tally.rows();
  totals->records_read += tally.rows() - tally.rejected;
  totals->loaded += tally.loaded;
  totals->already_present += tally.already_present;
  totals->conflicts += tally.conflicts;
  totals->failed += tally.failed;
  totals->rejected += tally.rejected;
}

double Percent(uint64_t part, uint64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

double MicrosToSeconds(uint64_t micros) {
  return static_cast<double>(micros) / 1e6;
}

// Where a vault's time went: requests (cumulative over the ones in flight
// together) and the producer (reading, building request bodies; one thread).
struct Timing {
  double api_seconds = 0;
  double source_seconds = 0;
  double average_concurrency = 0;  // requests in flight on average
};

Timing TimingOf(const std::vector<const VaultStats*>& vaults, double wall_seconds) {
  Timing timing;
  for (const VaultStats* stats : vaults) {
    timing.api_seconds += MicrosToSeconds(LoadRelaxed(stats->latency_micros_total));
    timing.source_seconds += MicrosToSeconds(LoadRelaxed(stats->producer_micros));
  }
  timing.average_concurrency = wall_seconds > 0 ? timing.api_seconds / wall_seconds : 0;
  return timing;
}

struct Batches {
  uint64_t immediate = 0;
  uint64_t retried = 0;
  uint64_t failed = 0;
  uint64_t total() const { return immediate + retried + failed; }
};

Batches BatchesOf(const std::vector<const VaultStats*>& vaults) {
  Batches batches;
  for (const VaultStats* stats : vaults) {
    batches.immediate += LoadRelaxed(stats->batches_immediate);
    batches.retried += LoadRelaxed(stats->batches_retried);
    batches.failed += LoadRelaxed(stats->batches_failed);
  }
  return batches;
}

std::vector<const VaultStats*> StatsOf(const LoadResult& result) {
  std::vector<const VaultStats*> stats;
  for (const VaultLoadResult& vault : result.vaults)
    stats.push_back(vault.stats.get());
  return stats;
}

std::string DescribeLatency(const LatencyFigures& latency) {
  char buffer[200];
  std::snprintf(buffer, sizeof(buffer),
                "avg %.1f ms, min %.1f ms, max %.1f ms; p50 %.1f ms, p95 %.1f ms, p99 %.1f ms",
                latency.avg_ms, latency.min_ms, latency.max_ms, latency.p50_ms, latency.p95_ms,
                latency.p99_ms);
  return buffer;
}

// The Go loader's per-vault sections: performance, API responses, timing.
void AppendPerformance(const VaultLoadResult& vault, std::string* out) {
  const VaultStats& stats = *vault.stats;
  const double seconds = ToSeconds(vault.elapsed);
  const uint64_t stored = LoadRelaxed(stats.loaded) + LoadRelaxed(stats.already_present);
  const Batches batches = BatchesOf({&stats});
  const Timing timing = TimingOf({&stats}, seconds);
  char buffer[256];
  auto add = [&](const char* format, auto... values) {
    std::snprintf(buffer, sizeof(buffer), format, values...);
    out->append(buffer);
  };
  out->append("  PERFORMANCE:\n");
  add("    Records uploaded:    %s (loaded or already present)\n", GroupDigits(stored).c_str());
  add("    Processing time:     %.1f seconds\n", seconds);
  add("    Throughput:          %s records/sec (successful only)\n",
      GroupDigits(static_cast<uint64_t>(Rate(stored, seconds))).c_str());
  add("    Batch success rate:  %s/%s batches (%.1f%%)\n",
      GroupDigits(batches.immediate + batches.retried).c_str(),
      GroupDigits(batches.total()).c_str(),
      batches.total() == 0 ? 100.0 : Percent(batches.immediate + batches.retried, batches.total()));
  out->append("  API RESPONSE SUMMARY:\n");
  add("    Immediate successes: %s (%.1f%% of batches)\n", GroupDigits(batches.immediate).c_str(),
      Percent(batches.immediate, batches.total()));
  add("    Retried successes:   %s (%.1f%% of batches)\n", GroupDigits(batches.retried).c_str(),
      Percent(batches.retried, batches.total()));
  add("    Failed or conflict:  %s (%.1f%% of batches)\n", GroupDigits(batches.failed).c_str(),
      Percent(batches.failed, batches.total()));
  add("    By status:           %s x 429, %s x 503, %s other 5xx/408, %s without answer\n",
      GroupDigits(LoadRelaxed(stats.throttled)).c_str(),
      GroupDigits(LoadRelaxed(stats.unavailable)).c_str(),
      GroupDigits(LoadRelaxed(stats.server_errors)).c_str(),
      GroupDigits(LoadRelaxed(stats.transport_errors)).c_str());
  out->append("  Latency:               " + DescribeLatency(LatencyOf({&stats})) + "\n");
  out->append("  TIMING BREAKDOWN (cumulative across requests in flight together):\n");
  const double total = timing.api_seconds + timing.source_seconds;
  const char* rule = "    ------------------------- ------------ ---------- ----------------\n";
  add("    %-25s %12s %10s %16s\n", "Component", "Cumulative", "% of Total", "Est. Wall Clock");
  out->append(rule);
  // The producer is one thread: its wall clock is its cumulative time; the
  // requests overlap, so theirs is the vault's wall time.
  add("    %-25s %11.1fs %9.1f%% %15.1fs\n", "Source read and payloads", timing.source_seconds,
      total > 0 ? 100.0 * timing.source_seconds / total : 0.0, timing.source_seconds);
  add("    %-25s %11.1fs %9.1f%% %15.1fs\n", "Skyflow API calls", timing.api_seconds,
      total > 0 ? 100.0 * timing.api_seconds / total : 0.0, seconds);
  out->append(rule);
  add("    %-25s %11.1fs %9.1f%% %15.1fs (actual)\n", "TOTAL (Cumulative)", total,
      total > 0 ? 100.0 : 0.0, seconds);
  add("    Average concurrency: %.1fx (requests in flight at once, on average)\n",
      timing.average_concurrency);
}

bool Resumed(const VaultLoadResult& vault) {
  return vault.resumed_from.next_sequence > 0;
}

std::string DescribeTally(const RowTally& tally) {
  return GroupDigits(tally.rows()) + " rows: " + GroupDigits(tally.loaded) + " loaded, " +
         GroupDigits(tally.already_present) + " already present, " + GroupDigits(tally.conflicts) +
         " conflicts, " + GroupDigits(tally.failed) + " failed, " + GroupDigits(tally.rejected) +
         " rejected";
}

void WriteLatency(JsonWriter& json, const LatencyFigures& latency) {
  json.Key("latency_ms")
      .BeginObject()
      .Field("avg", latency.avg_ms)
      .Field("min", latency.min_ms)
      .Field("max", latency.max_ms)
      .Field("p50", latency.p50_ms)
      .Field("p95", latency.p95_ms)
      .Field("p99", latency.p99_ms)
      .EndObject();
}

void WriteBatches(JsonWriter& json, const Batches& batches) {
  json.Key("batches")
      .BeginObject()
      .Field("immediate", batches.immediate)
      .Field("retried", batches.retried)
      .Field("failed", batches.failed)
      .EndObject();
}

void WriteTiming(JsonWriter& json, const Timing& timing) {
  json.Field("api_seconds", timing.api_seconds)
      .Field("source_seconds", timing.source_seconds)
      .Field("average_concurrency", timing.average_concurrency);
}

double CpuSecondsPerMillion(const ResourceUsage& usage, uint64_t rows) {
  if (rows == 0) return 0;
  return ToSeconds(usage.user_cpu + usage.system_cpu) * 1e6 / static_cast<double>(rows);
}

}  // namespace

LatencyFigures LatencyOf(const std::vector<const VaultStats*>& vaults) {
  LatencyHistogram::Counts counts{};
  uint64_t requests = 0;
  uint64_t total_micros = 0;
  uint64_t min = 0;
  uint64_t max = 0;
  for (const VaultStats* stats : vaults) {
    const LatencyHistogram::Counts vault_counts = stats->latency.Snapshot();
    uint64_t recorded = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
      counts[i] += vault_counts[i];
      recorded += vault_counts[i];
    }
    if (recorded == 0) continue;
    requests += recorded;
    total_micros += LoadRelaxed(stats->latency_micros_total);
    const uint64_t vault_min = stats->latency.MinMicros();
    min = min == 0 ? vault_min : std::min(min, vault_min);
    max = std::max(max, stats->latency.MaxMicros());
  }
  LatencyFigures figures;
  if (requests == 0) return figures;
  const auto ms = [](uint64_t micros) { return static_cast<double>(micros) / 1000.0; };
  const auto percentile = [&](double q) {
    return ms(std::clamp(PercentileMicros(counts, q), min, max));
  };
  figures.avg_ms = ms(total_micros) / static_cast<double>(requests);
  figures.min_ms = ms(min);
  figures.max_ms = ms(max);
  figures.p50_ms = percentile(0.50);
  figures.p95_ms = percentile(0.95);
  figures.p99_ms = percentile(0.99);
  return figures;
}

RunTotals WholeLoadTotalsOf(const LoadResult& result) {
  RunTotals totals = TotalsOf(result);
  for (const VaultLoadResult& vault : result.vaults)
    AddTally(vault.resumed_from.tally, &totals);
  return totals;
}

RunTotals TotalsOf(const LoadResult& result) {
  RunTotals totals;
  for (const VaultLoadResult& vault : result.vaults)
    AddCounts(*vault.stats, &totals);
  return totals;
}

std::string FormatSummaryText(const LoadResult& result, const ResourceUsage& usage) {
  std::string out = "\n======================== LOAD SUMMARY ========================\n";
  for (const VaultLoadResult& vault : result.vaults) {
    RunTotals totals;
    AddCounts(*vault.stats, &totals);
    out += vault.name + " vault (id " + vault.id + ", " + vault.source + ")\n";
    AppendCountLines(totals, ToSeconds(vault.elapsed), &out);
    out += "  Concurrency:           " + result.concurrency_mode + ", limit " +
           std::to_string(vault.concurrency.limit) + " at the end, " +
           Format("%.1f on average, ", vault.concurrency.average_limit) + "peak " +
           std::to_string(vault.concurrency.peak_limit) + "\n";
    AppendPerformance(vault, &out);
    if (vault.stopped_at_limit) {
      out += "  Note: stopped at the -max-records limit; pass -max-records 0 to read everything\n";
    }
    if (Resumed(vault)) {
      out += "  Earlier runs:          " + DescribeTally(vault.resumed_from.tally) + "\n";
    }
    if (vault.error_log_lines > 0) {
      out += "  Error log:             " + vault.error_log_path + " (" +
             GroupDigits(vault.error_log_lines) + " rows from this run, with reasons)\n";
    }
    if (!vault.status.ok()) out += "  Error: " + vault.status.message() + "\n";
    if (!vault.checkpoint_status.ok())
      out += "  Error: " + vault.checkpoint_status.message() + "\n";
    out += "\n";
  }
  const RunTotals totals = TotalsOf(result);
  out += "ALL VAULTS\n";
  AppendCountLines(totals, ToSeconds(result.elapsed), &out);
  const std::vector<const VaultStats*> all = StatsOf(result);
  out += "  Latency:               " + DescribeLatency(LatencyOf(all)) + "\n";
  out += "  Average concurrency:   " +
         Format("%.1fx", TimingOf(all, ToSeconds(result.elapsed)).average_concurrency) +
         " (requests in flight at once, all vaults)\n";
  out += "  Loader CPU:            " + Format("%.2f s user, ", ToSeconds(usage.user_cpu)) +
         Format("%.2f s system; ", ToSeconds(usage.system_cpu)) +
         Format("peak RSS %.1f MiB\n", usage.peak_rss_bytes / (1024.0 * 1024.0));
  out += "  CPU per 1M records:    " +
         (totals.rows_read == 0 ? std::string("n/a (no records read)")
                                : Format("%.1f s", CpuSecondsPerMillion(usage, totals.rows_read))) +
         "\n";
  const uint64_t not_stored = totals.conflicts + totals.failed + totals.rejected + totals.unsent;
  if (not_stored > 0) {
    out += "\nERROR SUMMARY\n";
    out += "  " + GroupDigits(not_stored) +
           " records not in the vault: " + GroupDigits(totals.conflicts) + " conflicts, " +
           GroupDigits(totals.failed) + " failed, " + GroupDigits(totals.rejected) + " rejected, " +
           GroupDigits(totals.unsent) + " not sent\n";
    for (const VaultLoadResult& vault : result.vaults) {
      if (vault.error_log_lines == 0) continue;
      out += "  " + vault.name + ": " + vault.error_log_path + " (" +
             GroupDigits(vault.error_log_lines) + " rows, with reasons)\n";
    }
  }
  if (!result.run_directory.empty()) {
    out += "  Run directory:         " + result.run_directory + "\n";
  }
  if (!result.error_log_status.ok()) out += "  Error: " + result.error_log_status.message() + "\n";
  if (!result.run_status.ok()) out += "  Stopped: " + result.run_status.message() + "\n";
  bool resumed = false;
  for (const VaultLoadResult& vault : result.vaults)
    resumed = resumed || Resumed(vault);
  const RunTotals whole = WholeLoadTotalsOf(result);
  if (resumed) {
    out += "\nWHOLE LOAD (earlier runs and this one)\n";
    out += "  Records read:          " + GroupDigits(whole.rows_read) + "\n";
    out += "  Loaded:                " + GroupDigits(whole.loaded) + "\n";
    out += "  Already present:       " + GroupDigits(whole.already_present) + "\n";
    out += "  Conflicts:             " + GroupDigits(whole.conflicts) + "\n";
    out += "  Failed:                " + GroupDigits(whole.failed) + "\n";
    out += "  Rejected:              " + GroupDigits(whole.rejected) + "\n";
  }
  out += FormatVerdictLine(result);
  return out;
}

namespace {

// Whether every vault read its whole input (or its -max-records): a source
// that failed, or a run stopped by a signal or refused credentials, did not,
// even when everything it did read is stored.
bool ReadToTheEnd(const LoadResult& result) {
  if (!result.run_status.ok()) return false;
  for (const VaultLoadResult& vault : result.vaults) {
    if (!vault.status.ok()) return false;
  }
  return true;
}

bool LoadComplete(const LoadResult& result) {
  return WholeLoadTotalsOf(result).complete() && ReadToTheEnd(result);
}

}  // namespace

std::string FormatVerdictLine(const LoadResult& result) {
  const RunTotals whole = WholeLoadTotalsOf(result);
  if (LoadComplete(result)) return "RESULT: complete: every record read is in the vault\n";
  if (whole.complete()) {
    return "RESULT: INCOMPLETE: the load stopped before reading all of its input; the " +
           GroupDigits(whole.rows_read) + " records read are in the vault (see above)\n";
  }
  return "RESULT: INCOMPLETE: " +
         GroupDigits(whole.rows_read - whole.loaded - whole.already_present) + " of " +
         GroupDigits(whole.rows_read) + " records read are not in the vault (see above)\n";
}

std::string FormatSummaryJson(const LoadResult& result, const ResourceUsage& usage) {
  std::string out;
  JsonWriter json(&out);
  const RunTotals totals = TotalsOf(result);
  json.BeginObject();
  json.Field("schema_version", kSummaryJsonSchemaVersion);
  const RunTotals whole = WholeLoadTotalsOf(result);
  json.Field("complete", LoadComplete(result));
  json.Field("wall_seconds", ToSeconds(result.elapsed));
  json.Field("records_per_second", Rate(totals.loaded, ToSeconds(result.elapsed)));
  WriteCounts(json, totals);
  json.Field("cpu_user_seconds", ToSeconds(usage.user_cpu))
      .Field("cpu_system_seconds", ToSeconds(usage.system_cpu))
      .Field("cpu_seconds_per_million_records", CpuSecondsPerMillion(usage, totals.rows_read))
      .Field("peak_rss_bytes", usage.peak_rss_bytes)
      .Field("run_directory", result.run_directory)
      .Field("stopped", result.run_status.ok() ? "" : result.run_status.message());
  const std::vector<const VaultStats*> all = StatsOf(result);
  WriteTiming(json, TimingOf(all, ToSeconds(result.elapsed)));
  WriteLatency(json, LatencyOf(all));
  WriteBatches(json, BatchesOf(all));
  json.Key("whole_load").BeginObject();
  WriteCounts(json, whole);
  json.EndObject();
  json.Key("vaults").BeginArray();
  for (const VaultLoadResult& vault : result.vaults) {
    RunTotals vault_totals;
    AddCounts(*vault.stats, &vault_totals);
    json.BeginObject()
        .Field("name", vault.name)
        .Field("id", vault.id)
        .Field("source", vault.source);
    WriteCounts(json, vault_totals);
    WriteTiming(json, TimingOf({vault.stats.get()}, ToSeconds(vault.elapsed)));
    WriteLatency(json, LatencyOf({vault.stats.get()}));
    WriteBatches(json, BatchesOf({vault.stats.get()}));
    json.Key("concurrency")
        .BeginObject()
        .Field("mode", result.concurrency_mode)
        .Field("final_limit", static_cast<uint64_t>(vault.concurrency.limit))
        .Field("average_limit", vault.concurrency.average_limit)
        .Field("peak_limit", static_cast<uint64_t>(vault.concurrency.peak_limit))
        .EndObject();
    json.Key("earlier_runs").BeginObject();
    RunTotals earlier;
    AddTally(vault.resumed_from.tally, &earlier);
    WriteCounts(json, earlier);
    json.EndObject();
    json.Key("checkpoint")
        .BeginObject()
        .Field("next_sequence", vault.checkpoint.next_sequence)
        .Field("rows_settled", vault.checkpoint.tally.rows())
        .EndObject();
    json.Field("error_log", vault.error_log_lines > 0 ? vault.error_log_path : "")
        .Field("error_log_lines", vault.error_log_lines);
    json.Field("wall_seconds", ToSeconds(vault.elapsed))
        .Field("stopped_at_limit", vault.stopped_at_limit)
        .Field("error", vault.status.ok() ? "" : vault.status.message())
        .EndObject();
  }
  json.EndArray().EndObject();
  out.push_back('\n');
  return out;
}

}  // namespace skyflow
