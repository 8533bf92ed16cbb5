// LoadAccounting: turns what the dispatcher reports into each vault's
// counters (VaultStats), writes the records that were not stored to the
// vault's error log, and then tells the vault's checkpoint tracker, so that
// a checkpoint never gets ahead of the error log. Everything it needs arrives
// with the reports or at construction: it never reaches back into a source
// or the dispatcher.
// Callbacks run on the dispatcher's thread; the counters it updates are
// atomics that other threads may read.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pipeline/checkpoint_tracker.h"
#include "pipeline/dispatcher.h"
#include "pipeline/error_log.h"
#include "pipeline/vault_stats.h"
#include "util/status.h"

namespace skyflow {

struct AccountedVault {
  VaultStats* stats = nullptr;
  ErrorLog* error_log = nullptr;
  CheckpointTracker* checkpoints = nullptr;
};

class LoadAccounting final : public DispatchObserver {
 public:
  explicit LoadAccounting(std::vector<AccountedVault> vaults);

  void OnRequest(size_t lane, const RequestReport& report) override;
  void OnSettled(size_t lane, SettledRecords&& settled) override;

  // When the vault's last record was settled; nullopt before the first.
  std::optional<Clock::TimePoint> LastSettled(size_t lane) const { return last_settled_[lane]; }

  // The first failure to write an error log, if any.
  const Status& write_status() const { return write_status_; }

 private:
  std::vector<AccountedVault> vaults_;
  std::vector<std::optional<Clock::TimePoint>> last_settled_;
  Status write_status_;
};

}  // namespace skyflow
