#include "config/seed_vaults.h"

#include <string>

#include "util/ascii.h"

namespace skyflow {
namespace {

struct SeedVault {
  const char* name;
  const char* csv_value_header;
  SnowflakeVaultColumns snowflake;
  const char* mock_values;
};

// The Go loader's per-vault constants. Simple mode reads the seed's
// PATIENTS table; DOB is cast so that Snowflake sends a date as text rather
// than as days since 1970 (jsonv2); NAME is upper-cased as the Go loader's
// query does.
const SeedVault kSeedVaults[] = {
    {"NAME",
     "full_name",
     {"full_name", "UPPER(full_name)", "full_name_token", "SRC_MBR_NM", "MBR_NM",
      "SKFL_MBR_NAME_DETOK"},
     "name"},
    {"ID",
     "id",
     {"id", "", "id_token", "SRC_MBR_ID", "MBR_ID", "SKFL_MBR_IDENTIFIERS_DETOK"},
     "id"},
    {"DOB",
     "dob",
     {"dob", "TO_VARCHAR(dob)", "dob_token", "SRC_MBR_BIRTH_DT", "BIRTH_DT",
      "SKFL_BIRTHDATE_DETOK"},
     "dob"},
    {"SSN", "ssn", {"ssn", "", "ssn_token", "SRC_MBR_SSN", "SSN", "SKFL_SSN_DETOK"}, "ssn"},
};

void FillIfEmpty(std::string* setting, const std::string& value) {
  if (setting->empty()) *setting = value;
}

}  // namespace

void ApplySeedVaultDefaults(VaultConfig* vault) {
  const SeedVault* seed = nullptr;
  for (const SeedVault& candidate : kSeedVaults) {
    if (EqualsIgnoreCase(vault->name, candidate.name)) seed = &candidate;
  }
  SnowflakeVaultColumns& columns = vault->snowflake;
  if (seed != nullptr) {
    FillIfEmpty(&vault->value_header, seed->csv_value_header);
    FillIfEmpty(&columns.value_column, seed->snowflake.value_column);
    FillIfEmpty(&columns.value_expression, seed->snowflake.value_expression);
    FillIfEmpty(&columns.token_column, seed->snowflake.token_column);
    FillIfEmpty(&columns.clm_column, seed->snowflake.clm_column);
    FillIfEmpty(&columns.mbr_column, seed->snowflake.mbr_column);
    FillIfEmpty(&columns.detok_udf, seed->snowflake.detok_udf);
    FillIfEmpty(&vault->mock_values, seed->mock_values);
  }
  FillIfEmpty(&vault->value_header, vault->column);
  FillIfEmpty(&columns.value_column, vault->column);
  FillIfEmpty(&columns.token_column, columns.value_column + "_token");
  FillIfEmpty(&vault->mock_values, "generic");
}

void ApplySeedVaultDefaults(std::vector<VaultConfig>* vaults) {
  for (VaultConfig& vault : *vaults)
    ApplySeedVaultDefaults(&vault);
}

}  // namespace skyflow
