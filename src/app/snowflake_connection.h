// Opening Snowflake for a run: which credentials the configuration names (a
// programmatic access token or a key-pair JWT), the prompts that complete
// them on a terminal, the SQL API client they travel with, and one
// SnowflakeSource per vault with the statement source/snowflake_query.h
// builds for it.
//
// Authenticator: programmatic_access_token, SNOWFLAKE_JWT, or unset, which
// means SNOWFLAKE_JWT when a private key file is configured and a PAT
// otherwise ("snowflake", a password, is refused by validation with the way
// to a PAT or a key pair). Secrets come from flags, the environment or the
// config file (app/settings.h); what is still missing is asked for on a
// terminal without echo, with the Go loader's prompts, and is otherwise an
// error saying where to put it. Not thread-safe (runs at start-up).
#pragma once

#include <memory>

#include "config/loader_config.h"
#include "source/record_source.h"
#include "source/snowflake_source.h"
#include "util/status.h"

namespace skyflow {

// Fills in the user, the PAT or the key's passphrase by prompting on a
// terminal when the configuration lacks them; without a terminal, a missing
// one is an InvalidArgument naming the flag, variable and config key.
Status CompleteSnowflakeCredentials(SnowflakeConfig* snowflake);

// The credentials and client for the run (the private key is read here).
Result<std::shared_ptr<const SnowflakeConnection>> ConnectSnowflake(const LoaderConfig& config);

// The source of one vault: its statement (the vault's query or the mode's
// SQL with the run's row window) sent through `connection`.
Result<std::unique_ptr<RecordSource>> OpenSnowflakeSource(
    const LoaderConfig& config, const VaultConfig& vault,
    std::shared_ptr<const SnowflakeConnection> connection);

}  // namespace skyflow
