// Config validation: the checks that need the merged configuration (after
// defaults, config.json, environment and flags), reported all at once.
//
// Contract: every problem is one sentence that says what is wrong, the value
// found, and where to fix it, naming both the flag and the config key when
// both exist ("batch size must be at least 1 (got 0): set -batch-size or
// performance.batch_size"). Secrets are never part of a message. What is
// checked depends on what the run will do (ConfigUse): generating test data
// needs no vault URL, for example. Credentials that may still be prompted for
// (bearer token, Snowflake user and password) are not checked here.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/loader_config.h"
#include "util/status.h"

namespace skyflow {

enum class ConfigUse {
  kLoad,      // read a source and insert into vaults
  kGenerate,  // -generate N: write mock CSV files, no vault access
  kDryRun,    // -dry-run: read and check the sources, no vault access
  kClear,     // delete vault contents only
};

// Batch sizes above this are refused: no vault API limit is published, and a
// request this large is already far past the point of any throughput gain.
inline constexpr int64_t kMaxBatchSize = 10000;
inline constexpr int64_t kMaxConcurrency = 4096;
inline constexpr int64_t kMaxAttempts = 100;

// Every problem found, in a stable order (empty when the config is usable).
std::vector<std::string> FindConfigProblems(const LoaderConfig& config,
                                            ConfigUse use = ConfigUse::kLoad);

// InvalidArgument listing every problem (one per line after the first), or Ok.
Status ValidateConfig(const LoaderConfig& config, ConfigUse use = ConfigUse::kLoad);

// The vault whose name equals `name` ignoring case, or null. -vault name and
// -vault NAME select the same vault.
const VaultConfig* FindVaultByName(const std::vector<VaultConfig>& vaults, std::string_view name);

}  // namespace skyflow
