// The loader's commands, once flags, environment and config.json have been
// merged and validated: generate mock data, check the input (dry run); the
// load is in load_command.h.
// Each prints its own report and returns the process exit code (exit_codes.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/loader_config.h"
#include "pipeline/run_load.h"
#include "source/record_source.h"
#include "util/status.h"

namespace skyflow {

// The vaults -vault selects (all when it is empty), in config order.
std::vector<VaultConfig> SelectedVaults(const LoaderConfig& config);

// The record source for one vault, according to -source.
Result<std::unique_ptr<RecordSource>> OpenSource(const LoaderConfig& config,
                                                 const VaultConfig& vault);

// Shared by the commands:
// "20261124_100000", local time now: the default names of run directories and
// list files.
std::string LocalTimestamp();
// Writes `text` to `path`, replacing what it held.
Status WriteTextFile(const std::string& path, const std::string& text);
void PrintError(const Status& status);  // an error log line (util/log.h): "error: <message>"
int ExitCodeFor(const Status& status);
uint64_t MaxRows(const LoaderConfig& config);  // -max-records; 0 = no limit
// Every selected vault with its source opened, before anything is sent, so
// that a missing file or a wrong header stops the run at once, not half-way.
// Errors name the vault.
Result<std::vector<VaultLoadPlan>> OpenPlans(const LoaderConfig& config);
// The same for the given vaults (those an error log holds, say).
Result<std::vector<VaultLoadPlan>> OpenPlans(const LoaderConfig& config,
                                             const std::vector<VaultConfig>& vaults);

// -generate N: writes N records per selected vault into the data directory.
int RunGenerateCommand(const LoaderConfig& config);

// -dry-run: reads every selected source as a load would, sends nothing, and
// reports counts, rejects and the digest the vault should end up with.
int RunDryRunCommand(const LoaderConfig& config);

}  // namespace skyflow
