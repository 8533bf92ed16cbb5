#include "report/run_summary.h"

#include <cstdio>

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

double Seconds(std::chrono::steady_clock::duration duration) {
  return std::chrono::duration<double>(duration).count();
}

double Seconds(std::chrono::microseconds duration) {
  return std::chrono::duration<double>(duration).count();
}

std::string Format(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), format, value);
  return buffer;
}

double Rate(uint64_t count, double seconds) {
  return seconds > 0 ? count / seconds : 0.0;
}

uint64_t Load(const std::atomic<uint64_t>& counter) {
  return counter.load(std::memory_order_relaxed);
}

void AddCounts(const VaultStats& stats, RunTotals* totals) {
  totals->rows_read += Load(stats.rows_read);
  totals->records_read += Load(stats.records_read);
  totals->loaded += Load(stats.loaded);
  totals->conflicts += Load(stats.conflicts);
  totals->failed += Load(stats.failed);
  totals->rejected += Load(stats.rejected);
  totals->unsent += Load(stats.unsent);
  totals->batches_immediate += Load(stats.batches_immediate);
  totals->batches_retried += Load(stats.batches_retried);
  totals->batches_failed += Load(stats.batches_failed);
  totals->requests += Load(stats.requests);
  totals->retries += Load(stats.retries);
  totals->throttled += Load(stats.throttled);
}

void AppendCountLines(const RunTotals& totals, double seconds, std::string* out) {
  auto line = [out](const char* label, const std::string& value) {
    char buffer[160];
    std::snprintf(buffer, sizeof(buffer), "  %-22s %s\n", label, value.c_str());
    out->append(buffer);
  };
  line("Records read:", GroupDigits(totals.rows_read));
  line("Loaded:", GroupDigits(totals.loaded));
  line("Conflicts:",
       GroupDigits(totals.conflicts) + (totals.conflicts ? "  (already in the vault)" : ""));
  line("Failed:", GroupDigits(totals.failed));
  line("Rejected:", GroupDigits(totals.rejected) + (totals.rejected ? "  (unusable rows)" : ""));
  if (totals.unsent > 0) line("Not sent:", GroupDigits(totals.unsent) + "  (run stopped early)");
  line("Batches:", GroupDigits(totals.batches_immediate) + " immediate, " +
                       GroupDigits(totals.batches_retried) + " retried, " +
                       GroupDigits(totals.batches_failed) + " failed");
  line("Requests:", GroupDigits(totals.requests) + " (" + GroupDigits(totals.retries) +
                        " retries, " + GroupDigits(totals.throttled) + " answered 429)");
  line("Wall time:", Format("%.2f s", seconds));
  line("Throughput:",
       GroupDigits(static_cast<uint64_t>(Rate(totals.loaded, seconds))) + " records/s loaded");
}

void WriteCounts(JsonWriter& json, const RunTotals& totals) {
  json.Field("records_read", totals.rows_read)
      .Field("loaded", totals.loaded)
      .Field("conflicts", totals.conflicts)
      .Field("failed", totals.failed)
      .Field("rejected", totals.rejected)
      .Field("unsent", totals.unsent)
      .Field("batches_immediate", totals.batches_immediate)
      .Field("batches_retried", totals.batches_retried)
      .Field("batches_failed", totals.batches_failed)
      .Field("requests", totals.requests)
      .Field("retries", totals.retries)
      .Field("throttled", totals.throttled);
}

}  // namespace

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
    AppendCountLines(totals, Seconds(vault.elapsed), &out);
    if (vault.stopped_at_limit) {
      out += "  Note: stopped at the -max-records limit; pass -max-records 0 to read everything\n";
    }
    if (!vault.status.ok()) out += "  Error: " + vault.status.message() + "\n";
    out += "\n";
  }
  const RunTotals totals = TotalsOf(result);
  out += "ALL VAULTS\n";
  AppendCountLines(totals, Seconds(result.elapsed), &out);
  out += "  Loader CPU:            " + Format("%.2f s user, ", Seconds(usage.user_cpu)) +
         Format("%.2f s system; ", Seconds(usage.system_cpu)) +
         Format("peak RSS %.1f MiB\n", usage.peak_rss_bytes / (1024.0 * 1024.0));
  if (result.rejects_written > 0) {
    out += "  Rejects file:          " + result.rejects_path + " (" +
           GroupDigits(result.rejects_written) + " records, with reasons)\n";
  }
  if (!result.rejects_status.ok()) out += "  Error: " + result.rejects_status.message() + "\n";
  if (!result.run_status.ok()) out += "  Stopped: " + result.run_status.message() + "\n";
  out += totals.complete()
             ? "RESULT: complete: every record read was loaded\n"
             : "RESULT: INCOMPLETE: " + GroupDigits(totals.rows_read - totals.loaded) + " of " +
                   GroupDigits(totals.rows_read) + " records read were not loaded (see above)\n";
  return out;
}

std::string FormatSummaryJson(const LoadResult& result, const ResourceUsage& usage) {
  std::string out;
  JsonWriter json(&out);
  const RunTotals totals = TotalsOf(result);
  json.BeginObject();
  json.Field("complete", totals.complete());
  json.Field("wall_seconds", Seconds(result.elapsed));
  json.Field("records_per_second", Rate(totals.loaded, Seconds(result.elapsed)));
  WriteCounts(json, totals);
  json.Field("cpu_user_seconds", Seconds(usage.user_cpu))
      .Field("cpu_system_seconds", Seconds(usage.system_cpu))
      .Field("peak_rss_bytes", usage.peak_rss_bytes)
      .Field("rejects_file", result.rejects_written > 0 ? result.rejects_path : "")
      .Field("rejects_written", result.rejects_written)
      .Field("stopped", result.run_status.ok() ? "" : result.run_status.message());
  json.Key("vaults").BeginArray();
  for (const VaultLoadResult& vault : result.vaults) {
    RunTotals vault_totals;
    AddCounts(*vault.stats, &vault_totals);
    json.BeginObject()
        .Field("name", vault.name)
        .Field("id", vault.id)
        .Field("source", vault.source);
    WriteCounts(json, vault_totals);
    json.Field("wall_seconds", Seconds(vault.elapsed))
        .Field("stopped_at_limit", vault.stopped_at_limit)
        .Field("error", vault.status.ok() ? "" : vault.status.message())
        .EndObject();
  }
  json.EndArray().EndObject();
  out.push_back('\n');
  return out;
}

}  // namespace skyflow
