#include "harness/snowflake_fixture.h"

#include "harness/system_tools.h"
#include "util/pair_digest.h"

namespace skyflow::testing {

using std::chrono::seconds;

PostgresServer* SnowflakeFixture::server_ = nullptr;
std::string SnowflakeFixture::server_error_;

void SnowflakeFixture::SetUpTestSuite() {
  server_error_.clear();
  server_ = PostgresServer::Start(&server_error_).release();
  if (server_ == nullptr) return;
  server_->CreateDatabase(kDatabase);
}

void SnowflakeFixture::TearDownTestSuite() {
  delete server_;
  server_ = nullptr;
}

void SnowflakeFixture::SetUp() {
  ASSERT_NE(server_, nullptr) << server_error_;
  vault_ = std::make_unique<EmulatorProcess>(dir_.path(), kToken);
  ASSERT_TRUE(vault_->ready());
  WriteFile(config_path(), LoaderConfigJson(vault_->url(), dir_.File("data"), kVaults,
                                            R"("batch_size":200,"max_concurrency":8)"));
}

void SnowflakeFixture::GenerateTables(int rows) {
  const ProcessResult generated =
      RunProcess(SKYFLOW_LOADER_PATH,
                 {"-config", config_path(), "-generate", std::to_string(rows), "-target",
                  server_->Url(kDatabase)},
                 dir_.path(), seconds(300));
  ASSERT_EQ(generated.exit_code, 0) << generated.out << generated.err;
  server_->Psql(kDatabase, ReadFile(std::string(SKYFLOW_SOURCE_DIR) +
                                    "/tests/integration/sql/snowflake_functions.sql"));
}

std::unique_ptr<SqlApiEmulatorProcess> SnowflakeFixture::StartSqlApi(
    std::vector<std::string> args) {
  args.insert(args.begin(), {"--pg-dsn", server_->Dsn(kDatabase), "--pat", kPat, "--account",
                             kAccount, "--user", kUser, "--partition-rows", "500"});
  auto emulator = std::make_unique<SqlApiEmulatorProcess>(dir_.path(), args);
  EXPECT_TRUE(emulator->ready());
  return emulator;
}

std::vector<std::string> SnowflakeFixture::LoadArguments(const SqlApiEmulatorProcess& sqlapi,
                                                         const std::vector<std::string>& args) {
  std::vector<std::string> all = {"-config",    config_path(), "-source",      "snowflake",
                                  "-sf-url",    sqlapi.url(),  "-sf-account",  kAccount,
                                  "-sf-user",   kUser,         "-sf-database", "D01_SKYFLOW_POC",
                                  "-sf-schema", "SKYFLOW_POC", "-sf-table",    "PATIENTS"};
  // Each load its own run directory; the last one is run_dir_.
  run_dir_ = dir_.File("run" + std::to_string(++runs_));
  all.insert(all.end(), {"-run-dir", run_dir_});
  all.insert(all.end(), args.begin(), args.end());
  return all;
}

std::map<std::string, std::string> SnowflakeFixture::LoaderEnvironment(
    std::map<std::string, std::string> env) {
  env["SKYFLOW_BEARER_TOKEN"] = kToken;
  return env;
}

ProcessResult SnowflakeFixture::Load(const SqlApiEmulatorProcess& sqlapi,
                                     const std::vector<std::string>& args,
                                     const std::map<std::string, std::string>& env) {
  return RunProcess(SKYFLOW_LOADER_PATH, LoadArguments(sqlapi, args), dir_.path(), seconds(300),
                    LoaderEnvironment(env));
}

std::pair<std::string, std::string> SnowflakeFixture::MakeKeyPair(const std::string& name,
                                                                  const std::string& passphrase) {
  const std::string openssl = FindProgram("openssl");
  const std::string private_path = dir_.File(name + ".p8");
  const std::string public_path = dir_.File(name + ".pub");
  std::vector<std::string> generate = {
      "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", private_path};
  std::vector<std::string> extract = {"pkey", "-in", private_path, "-pubout", "-out", public_path};
  if (!passphrase.empty()) {
    generate.insert(generate.end(), {"-aes-256-cbc", "-pass", "pass:" + passphrase});
    extract.insert(extract.end(), {"-passin", "pass:" + passphrase});
  }
  EXPECT_EQ(RunProcess(openssl, generate, dir_.path(), seconds(60)).exit_code, 0);
  EXPECT_EQ(RunProcess(openssl, extract, dir_.path(), seconds(60)).exit_code, 0);
  return {private_path, public_path};
}

void SnowflakeFixture::ExpectVaultsHold(const std::string& mode) {
  for (const TestVault& vault : kVaults)
    ExpectVaultHolds(vault, ExpectedPairsSql(mode, vault.name));
}

void SnowflakeFixture::ExpectVaultHolds(const TestVault& vault, const std::string& sql) {
  const auto stats = vault_->Stats();
  PairDigest expected;
  uint64_t count = 0;
  const std::string rows = server_->Psql(kDatabase, sql);
  size_t start = 0;
  while (start < rows.size()) {
    const size_t end = rows.find('\n', start);
    const std::string line = rows.substr(start, end - start);
    const size_t separator = line.find('\x1f');
    if (separator != std::string::npos) {
      expected.Add(line.substr(0, separator), line.substr(separator + 1));
      ++count;
    }
    start = end == std::string::npos ? rows.size() : end + 1;
  }
  const std::string key = vault.id + "/" + vault.column;
  ASSERT_EQ(stats.count(key), 1u) << key;
  EXPECT_GT(count, 0u);
  EXPECT_EQ(stats.at(key).records, count) << key;
  EXPECT_EQ(stats.at(key).digest, expected.Hex()) << key;
}

std::string SnowflakeFixture::ExpectedPairsSql(const std::string& mode, const std::string& vault) {
  // simple mode reads PATIENTS (names upper-cased, dates as text);
  // union and generic read CLM and MBR, whose tokens are the same.
  if (mode == "simple") {
    if (vault == "NAME")
      return "SELECT upper(full_name) || chr(31) || full_name_token FROM skyflow_poc.patients";
    if (vault == "ID") return "SELECT id || chr(31) || id_token FROM skyflow_poc.patients";
    if (vault == "DOB")
      return "SELECT to_char(dob, 'YYYY-MM-DD') || chr(31) || dob_token FROM skyflow_poc.patients";
    return "SELECT ssn || chr(31) || ssn_token FROM skyflow_poc.patients";
  }
  const std::map<std::string, std::pair<std::string, std::string>> columns = {
      {"NAME", {"src_mbr_nm", "mbr_nm"}},
      {"ID", {"src_mbr_id", "mbr_id"}},
      {"DOB", {"src_mbr_birth_dt", "birth_dt"}},
      {"SSN", {"src_mbr_ssn", "ssn"}}};
  const auto& [clm, mbr] = columns.at(vault);
  return "SELECT DISTINCT pair FROM (SELECT " + clm + " || chr(31) || " + clm +
         "_token AS pair FROM skyflow_poc.clm UNION ALL SELECT " + mbr + " || chr(31) || " + mbr +
         "_token FROM skyflow_poc.mbr) AS both_tables";
}

}  // namespace skyflow::testing
