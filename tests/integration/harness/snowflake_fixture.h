// SnowflakeFixture: what the Snowflake end-to-end tests share. One real
// PostgreSQL server per test suite holding the database d01_skyflow_poc; per
// test, a vault emulator, a config.json for the four vaults NAME, ID, DOB
// and SSN, and helpers to fill the Snowflake-shaped tables with the loader's
// own generator (-generate N -target), start a SQL API emulator over that
// database, run the loader against both, and check every vault's digest
// against the pairs a direct SQL query gives (written independently of the
// loader's query builder).
//
// Not synchronised: each test drives its own processes from its own thread.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/emulator_process.h"
#include "harness/loader_config.h"
#include "harness/postgres_server.h"
#include "harness/sqlapi_emulator_process.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {

class SnowflakeFixture : public ::testing::Test {
 protected:
  static constexpr char kToken[] = "snowflake-load-vault-token-51c2";
  static constexpr char kPat[] = "snowflake-load-pat-9d0e";
  static constexpr char kDatabase[] = "d01_skyflow_poc";
  static constexpr char kAccount[] = "MYORG-MYACCOUNT";
  static constexpr char kUser[] = "LOADER";
  static constexpr int kRows = 3000;
  static inline const std::vector<TestVault> kVaults = {{"NAME", "vault_name", "name"},
                                                        {"ID", "vault_id", "id"},
                                                        {"DOB", "vault_dob", "dob"},
                                                        {"SSN", "vault_ssn", "ssn"}};

  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;

  // Generates `rows` rows into PostgreSQL with the loader itself (the tables
  // README.md describes: PATIENTS, CLM, MBR) and installs Snowflake's functions.
  void GenerateTables(int rows = kRows);

  // A SQL API emulator over the test database, accepting kPat, with
  // partitions of 500 rows first; `args` follow (and may override) these.
  std::unique_ptr<SqlApiEmulatorProcess> StartSqlApi(std::vector<std::string> args = {});

  // The command line of a Snowflake load through `sqlapi` in a new run
  // directory (run_dir_), `args` after the common ones.
  std::vector<std::string> LoadArguments(const SqlApiEmulatorProcess& sqlapi,
                                         const std::vector<std::string>& args);
  // The loader's environment: the vault's bearer token and `env`.
  static std::map<std::string, std::string> LoaderEnvironment(
      std::map<std::string, std::string> env);

  // A Snowflake load run to completion (5 minutes at most).
  ProcessResult Load(const SqlApiEmulatorProcess& sqlapi, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env = {});

  std::map<std::string, std::string> PatEnvironment() const { return {{"SNOWFLAKE_PAT", kPat}}; }

  // Makes a key pair with the openssl tool, as a user would; returns
  // {private key path (PKCS#8 PEM, encrypted when `passphrase` is given),
  // public key path}.
  std::pair<std::string, std::string> MakeKeyPair(const std::string& name,
                                                  const std::string& passphrase = "");

  // Every vault of kVaults holds exactly the pairs of ExpectedPairsSql(mode).
  void ExpectVaultsHold(const std::string& mode);
  // `vault` holds exactly the rows of `sql`, each "value<US>token" (chr(31)).
  void ExpectVaultHolds(const TestVault& vault, const std::string& sql);

  // The pairs each vault must hold after a load in `mode` ("simple", "union",
  // "generic"), straight from the generated tables: one "value<US>token" per
  // line.
  static std::string ExpectedPairsSql(const std::string& mode, const std::string& vault);

  std::string config_path() const { return dir_.File("config.json"); }

  static PostgresServer* server_;
  static std::string server_error_;
  TempDir dir_;
  int runs_ = 0;
  std::string run_dir_;
  std::unique_ptr<EmulatorProcess> vault_;
};

}  // namespace skyflow::testing
