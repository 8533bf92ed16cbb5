#include "pipeline/load_accounting.h"

#include <algorithm>
#include <chrono>

namespace skyflow {
namespace {

void Add(std::atomic<uint64_t>& counter, uint64_t amount) {
  counter.fetch_add(amount, std::memory_order_relaxed);
}

}  // namespace

LoadAccounting::LoadAccounting(std::vector<AccountedVault> vaults)
    : vaults_(std::move(vaults)), last_settled_(vaults_.size()) {}

void LoadAccounting::OnRequest(size_t lane, const RequestReport& report) {
  VaultStats& stats = *vaults_[lane].stats;
  Add(stats.requests, 1);
  const auto micros = static_cast<uint64_t>(std::max<int64_t>(
      0, std::chrono::duration_cast<std::chrono::microseconds>(report.latency).count()));
  Add(stats.latency_micros_total, micros);
  stats.latency.Record(micros);
  stats.statuses.Add(report.http_status);
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
  if (settled.fate == RecordFate::kLoaded || settled.fate == RecordFate::kAlreadyPresent) {
    Add(settled.attempts > 1 ? stats.batches_retried : stats.batches_immediate, 1);
  }
  bool reported = true;
  switch (settled.fate) {
    case RecordFate::kLoaded:
      Add(stats.loaded, count);
      break;
    case RecordFate::kAlreadyPresent:
      Add(stats.already_present, count);
      break;
    case RecordFate::kUnsent:
      Add(stats.unsent, count);
      break;
    case RecordFate::kConflict:
    case RecordFate::kFailed: {
      Add(settled.fate == RecordFate::kConflict ? stats.conflicts : stats.failed, count);
      Add(stats.batches_failed, 1);
      Status written = vault.error_log->AppendVaultFailure(settled);
      reported = written.ok();
      if (!written.ok() && write_status_.ok()) write_status_ = written;
      break;
    }
  }
  // A record whose failure is not in the error log stays unsettled for the
  // checkpoint: a resumed run reads it again.
  if (reported && vault.checkpoints != nullptr) {
    vault.checkpoints->Settle(settled.batch, settled.fate, count);
  }
}

}  // namespace skyflow
