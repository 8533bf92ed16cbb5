// LoadAccounting: turns what the dispatcher reports into each vault's
// counters (VaultStats) and writes the records that were not stored to the
// rejects file. Everything it needs arrives with the reports or at
// construction (vault names, origin labels): it never reaches back into a
// source or the dispatcher.
// Callbacks run on the dispatcher's thread; the counters it updates are
// atomics that other threads may read.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pipeline/dispatcher.h"
#include "pipeline/reject_log.h"
#include "pipeline/vault_stats.h"
#include "util/status.h"

namespace skyflow {

struct AccountedVault {
  std::string name;
  std::string origin_label;  // the source's OriginLabel()
  VaultStats* stats = nullptr;
};

class LoadAccounting final : public DispatchObserver {
 public:
  LoadAccounting(std::vector<AccountedVault> vaults, RejectLog* rejects);

  void OnRequest(size_t lane, const RequestReport& report) override;
  void OnSettled(size_t lane, SettledRecords&& settled) override;

  // When the vault's last record was settled; nullopt before the first.
  std::optional<Clock::TimePoint> LastSettled(size_t lane) const { return last_settled_[lane]; }

  // The first failure to write the rejects file, if any.
  const Status& write_status() const { return write_status_; }

 private:
  std::vector<AccountedVault> vaults_;
  std::vector<std::optional<Clock::TimePoint>> last_settled_;
  RejectLog* rejects_;
  Status write_status_;
};

}  // namespace skyflow
