#include "pipeline/load_accounting.h"

#include <chrono>

namespace skyflow {
namespace {

void Add(std::atomic<uint64_t>& counter, uint64_t amount) {
  counter.fetch_add(amount, std::memory_order_relaxed);
}

}  // namespace

LoadAccounting::LoadAccounting(std::vector<AccountedVault> vaults, RejectLog* rejects)
    : vaults_(std::move(vaults)), last_settled_(vaults_.size()), rejects_(rejects) {}

void LoadAccounting::OnRequest(size_t lane, const RequestReport& report) {
  VaultStats& stats = *vaults_[lane].stats;
  Add(stats.requests, 1);
  Add(stats.latency_micros_total,
      static_cast<uint64_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(report.latency).count()));
  if (report.task != TaskKind::kInsert) Add(stats.lookups, 1);
  if (report.resent) Add(stats.retries, 1);
  if (report.http_status == 0) {
    Add(stats.transport_errors, 1);
  } else if (report.http_status == 429) {
    Add(stats.throttled, 1);
  } else if (report.http_status == 503) {
    Add(stats.unavailable, 1);
  } else if (report.http_status >= 500 || report.http_status == 408) {
    Add(stats.server_errors, 1);
  }
}

void LoadAccounting::OnSettled(size_t lane, SettledRecords&& settled) {
  const AccountedVault& vault = vaults_[lane];
  VaultStats& stats = *vault.stats;
  const uint64_t count = settled.records.size();
  last_settled_[lane] = SteadyClock().Now();
  switch (settled.fate) {
    case RecordFate::kLoaded:
      Add(stats.loaded, count);
      return;
    case RecordFate::kAlreadyPresent:
      Add(stats.already_present, count);
      return;
    case RecordFate::kUnsent:
      Add(stats.unsent, count);
      return;
    case RecordFate::kConflict:
      Add(stats.conflicts, count);
      break;
    case RecordFate::kFailed:
      Add(stats.failed, count);
      break;
  }
  Status written = rejects_->AppendVaultFailure(vault.name, vault.origin_label, settled);
  if (!written.ok() && write_status_.ok()) write_status_ = written;
}

}  // namespace skyflow
