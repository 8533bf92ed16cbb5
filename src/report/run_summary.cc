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
  totals->already_present += Load(stats.already_present);
  totals->conflicts += Load(stats.conflicts);
  totals->failed += Load(stats.failed);
  totals->rejected += Load(stats.rejected);
  totals->unsent += Load(stats.unsent);
  totals->requests += Load(stats.requests);
  totals->retries += Load(stats.retries);
  totals->throttled += Load(stats.throttled);
  totals->unavailable += Load(stats.unavailable);
  totals->server_errors += Load(stats.server_errors);
  totals->transport_errors += Load(stats.transport_errors);
  totals->lookups += Load(stats.lookups);
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

bool Resumed(const VaultLoadResult& vault) {
  return vault.resumed_from.next_sequence > 0;
}

std::string DescribeTally(const RowTally& tally) {
  return GroupDigits(tally.rows()) + " rows: " + GroupDigits(tally.loaded) + " loaded, " +
         GroupDigits(tally.already_present) + " already present, " + GroupDigits(tally.conflicts) +
         " conflicts, " + GroupDigits(tally.failed) + " failed, " + GroupDigits(tally.rejected) +
         " rejected";
}

}  // namespace

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
    AppendCountLines(totals, Seconds(vault.elapsed), &out);
    out += "  Concurrency:           " + result.concurrency_mode + ", limit " +
           std::to_string(vault.concurrency.limit) + " at the end, " +
           Format("%.1f on average, ", vault.concurrency.average_limit) + "peak " +
           std::to_string(vault.concurrency.peak_limit) + "\n";
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
  AppendCountLines(totals, Seconds(result.elapsed), &out);
  out += "  Loader CPU:            " + Format("%.2f s user, ", Seconds(usage.user_cpu)) +
         Format("%.2f s system; ", Seconds(usage.system_cpu)) +
         Format("peak RSS %.1f MiB\n", usage.peak_rss_bytes / (1024.0 * 1024.0));
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
  out += whole.complete()
             ? "RESULT: complete: every record read is in the vault\n"
             : "RESULT: INCOMPLETE: " +
                   GroupDigits(whole.rows_read - whole.loaded - whole.already_present) + " of " +
                   GroupDigits(whole.rows_read) +
                   " records read are not in the vault (see above)\n";
  return out;
}

std::string FormatSummaryJson(const LoadResult& result, const ResourceUsage& usage) {
  std::string out;
  JsonWriter json(&out);
  const RunTotals totals = TotalsOf(result);
  json.BeginObject();
  const RunTotals whole = WholeLoadTotalsOf(result);
  json.Field("complete", whole.complete());
  json.Field("wall_seconds", Seconds(result.elapsed));
  json.Field("records_per_second", Rate(totals.loaded, Seconds(result.elapsed)));
  WriteCounts(json, totals);
  json.Field("cpu_user_seconds", Seconds(usage.user_cpu))
      .Field("cpu_system_seconds", Seconds(usage.system_cpu))
      .Field("peak_rss_bytes", usage.peak_rss_bytes)
      .Field("run_directory", result.run_directory)
      .Field("stopped", result.run_status.ok() ? "" : result.run_status.message());
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
