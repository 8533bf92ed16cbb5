#include "report/progress_line.h"

#include <cstdio>

#include "report/run_summary.h"

namespace skyflow {

std::string ProgressLine::Format(const LoadResult& result) {
  const RunTotals totals = TotalsOf(result);
  const double seconds = std::chrono::duration<double>(result.elapsed).count();
  const double window = seconds - last_seconds_;
  const double rate = window > 0 ? (totals.loaded - last_loaded_) / window : 0.0;
  last_loaded_ = totals.loaded;
  last_seconds_ = seconds;
  const auto whole = static_cast<uint64_t>(seconds);
  uint64_t in_flight = 0;
  uint64_t limit = 0;
  for (const VaultLoadResult& vault : result.vaults) {
    in_flight += vault.stats->in_flight.load(std::memory_order_relaxed);
    limit += vault.stats->concurrency_limit.load(std::memory_order_relaxed);
  }
  char line[384];
  std::snprintf(line, sizeof(line),
                "[%02llu:%02llu:%02llu] loaded %s / read %s | %s rec/s | in flight %s / limit %s "
                "| present %s | conflicts %s | failed %s | rejected %s | retries %s | 429s %s\n",
                static_cast<unsigned long long>(whole / 3600),
                static_cast<unsigned long long>(whole / 60 % 60),
                static_cast<unsigned long long>(whole % 60), GroupDigits(totals.loaded).c_str(),
                GroupDigits(totals.rows_read).c_str(),
                GroupDigits(static_cast<uint64_t>(rate)).c_str(), GroupDigits(in_flight).c_str(),
                GroupDigits(limit).c_str(), GroupDigits(totals.already_present).c_str(),
                GroupDigits(totals.conflicts).c_str(), GroupDigits(totals.failed).c_str(),
                GroupDigits(totals.rejected).c_str(), GroupDigits(totals.retries).c_str(),
                GroupDigits(totals.throttled).c_str());
  return line;
}

}  // namespace skyflow
