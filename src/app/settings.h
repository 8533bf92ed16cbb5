// Settings: the one place where defaults, config.json, the environment and the
// command line are merged into the LoaderConfig a run uses.
//
// Precedence, for every setting: flag > environment > config file > default.
//   1. Defaults: LoaderConfig{} with the seed's four vaults (DefaultVaults()).
//   2. Config file: -config PATH (an error if missing), else ./config.json if
//      it exists (if not, the defaults stand and a note says so).
//   3. Environment: SKYFLOW_BEARER_TOKEN, SKYFLOW_VAULT_URL, SNOWFLAKE_PAT
//      (or SNOWFLAKE_PASSWORD, which holds a PAT too),
//      SNOWFLAKE_PRIVATE_KEY_PASSPHRASE. An empty variable counts as unset.
//   4. Flags. As with the Go loader, a string flag given an empty value
//      ("-token=") counts as not given.
// Then the values that depend on others: -error-log implies -source
// error-log; max records defaults by source when neither a flag nor the file
// set it (100000 for csv, 100 for snowflake, 0 = unlimited for error-log);
// -vault is matched against the vault names ignoring case and replaced by the
// configured spelling; -generate 0 means "do not generate", as in Go.
//
// Nothing is printed: warnings (unknown config keys, ignored flags) and notes
// are returned for main to print. Secrets never appear in them. The
// environment is read through an injectable lookup so that tests need not
// touch the process environment. No state of its own: safe to call from any
// thread that may read the config file and call the lookup.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/flags.h"
#include "config/config_validation.h"
#include "config/loader_config.h"
#include "util/status.h"

namespace skyflow {

inline constexpr char kBearerTokenVariable[] = "SKYFLOW_BEARER_TOKEN";
inline constexpr char kVaultUrlVariable[] = "SKYFLOW_VAULT_URL";
inline constexpr char kSnowflakePatVariable[] = "SNOWFLAKE_PAT";
inline constexpr char kSnowflakePasswordVariable[] = "SNOWFLAKE_PASSWORD";
inline constexpr char kSnowflakePassphraseVariable[] = "SNOWFLAKE_PRIVATE_KEY_PASSPHRASE";
inline constexpr char kDefaultConfigPath[] = "config.json";

// Returns the value of an environment variable, or nullopt when it is unset.
using EnvironmentLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Reads the real process environment (getenv).
EnvironmentLookup ProcessEnvironment();

struct Settings {
  LoaderConfig config;
  std::string config_path;  // the config file that was read; empty if none
  // Where the bearer token came from, for a startup line that must not show
  // the token itself: "-token", "SKYFLOW_BEARER_TOKEN", the config file's
  // path, or empty when no layer set one (main may prompt for it).
  std::string bearer_token_origin;
  std::vector<std::string> warnings;  // worth the user's attention
  std::vector<std::string> notes;     // informational
};

// What the run will do, for ValidateConfig: -generate needs no vault access;
// verify needs what a load needs (kLoad).
ConfigUse ConfigUseFor(const RunOptions& run);

// Merges every layer without validating the result (for callers that want to
// add to it first, such as a prompt for a missing credential).
Result<Settings> MergeSettings(const CommandLine& command_line,
                               const EnvironmentLookup& environment);

// MergeSettings followed by ValidateConfig(config, ConfigUseFor(config.run)).
// Every error is a usage or configuration error (exit code 2).
Result<Settings> BuildSettings(const CommandLine& command_line,
                               const EnvironmentLookup& environment);

}  // namespace skyflow
