// The seed loader's knowledge of its four vaults (NAME, ID, DOB, SSN), as
// configuration defaults rather than code in the sources.
//
// The Go loader hard-codes, per vault name, the CSV header of the values
// ("full_name" for NAME), the columns its Snowflake queries read (and NAME's
// UPPER()), the CLM/MBR columns and UDF of union mode, and what its mock
// generator writes. Here those are settings of VaultConfig; this file holds
// the seed's values and fills them into any vault that leaves them empty, so
// a config.json written for the Go loader (name, id, column) behaves as it
// did, and a vault of another name gets neutral defaults derived from its
// column. Sources then read what they are given and never look at a vault's
// name. Stateless; thread-safe.
#pragma once

#include <vector>

#include "config/loader_config.h"

namespace skyflow {

// Fills every empty layout setting of `vault` with the seed's value for its
// name (ignoring case), or with the neutral default of an unknown name:
// value header and simple-mode columns `column` and `column`_token, mock
// values "generic", no CLM/MBR columns (union and generic modes then need
// them configured).
void ApplySeedVaultDefaults(VaultConfig* vault);
void ApplySeedVaultDefaults(std::vector<VaultConfig>* vaults);

}  // namespace skyflow
