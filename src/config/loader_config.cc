#include "config/loader_config.h"

#include "config/seed_vaults.h"

namespace skyflow {

std::vector<VaultConfig> DefaultVaults() {
  // The seed loader's four vaults; each column (and table) is the vault name
  // in lower case. IDs are per account, so they stay empty until configured.
  std::vector<VaultConfig> vaults(4);
  vaults[0].name = "NAME";
  vaults[0].column = "name";
  vaults[1].name = "ID";
  vaults[1].column = "id";
  vaults[2].name = "DOB";
  vaults[2].column = "dob";
  vaults[3].name = "SSN";
  vaults[3].column = "ssn";
  ApplySeedVaultDefaults(&vaults);
  return vaults;
}

const char* SourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::kCsv:
      return "csv";
    case SourceKind::kSnowflake:
      return "snowflake";
    case SourceKind::kErrorLog:
      return "error-log";
    case SourceKind::kPostgres:
      return "postgres";
  }
  return "unknown";
}

}  // namespace skyflow
