// Secrets never leave the loader: loads run with known secret values (the
// bearer token from -token, from SKYFLOW_BEARER_TOKEN and from config.json; a
// Snowflake password from -sf-password and SNOWFLAKE_PASSWORD) through
// server errors, throttling, a rejected token, -v, -log-format json and
// -offline, and every byte the loader wrote is searched for each secret:
// stdout, stderr, the offline log file, the run directories (run.json,
// runs.jsonl, summary.json, checkpoint journals, error logs) and the
// -summary-json files.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/emulator_process.h"
#include "harness/loader_config.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {
namespace {

using std::chrono::seconds;

// Distinct enough that no other text contains them by chance.
constexpr char kToken[] = "tok-SECRET-2f9c41d7e0a35b86";
constexpr char kWrongToken[] = "tok-WRONG-SECRET-8d1e07c3b5a9";
constexpr char kFlagPassword[] = "sf-flag-SECRET-5be2a9047c13";
constexpr char kEnvPassword[] = "sf-env-SECRET-a41f6c3d92e8";
const std::vector<TestVault> kVaults = {{"NAME", "vault_name", "name"},
                                        {"SSN", "vault_ssn", "ssn"}};
constexpr char kPerformance[] =
    R"("batch_size":50,"max_concurrency":4,"max_records":0,"max_attempts":30,)"
    R"("retry_base_delay_ms":5,"retry_max_delay_ms":50)";

class SecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(work());
    std::filesystem::create_directories(private_dir());
    std::filesystem::create_directories(emulator_dir());
    // 500s and 429s: retries and back-pressure on most batches.
    emulator_ = std::make_unique<EmulatorProcess>(
        emulator_dir(), kToken,
        std::vector<std::string>{"--fault-500", "0.25", "--fault-429", "0.25", "--retry-after", "0",
                                 "--seed", "11"});
    ASSERT_TRUE(emulator_->ready());
    const std::string config =
        LoaderConfigJson(emulator_->url(), data_dir(), kVaults, kPerformance);
    WriteFile(config_path(), config);
    // The same configuration with the token in it (mode 0600, as advised).
    WriteFile(config_with_token_path(), ConfigWithToken(config));
    std::filesystem::permissions(config_with_token_path(), std::filesystem::perms::owner_read |
                                                               std::filesystem::perms::owner_write);
    const ProcessResult generated = RunProcess(
        SKYFLOW_LOADER_PATH, {"-config", config_path(), "-generate", "400"}, work(), seconds(60));
    ASSERT_EQ(generated.exit_code, 0) << generated.err;
  }

  // config.json with "bearer_token" added to its "skyflow" object.
  static std::string ConfigWithToken(const std::string& config) {
    const std::string key = "\"skyflow\"";
    const size_t skyflow = config.find(key);
    EXPECT_NE(skyflow, std::string::npos) << config;
    const size_t brace = config.find('{', skyflow);
    return config.substr(0, brace + 1) + "\"bearer_token\":\"" + kToken + "\"," +
           config.substr(brace + 1);
  }

  // Runs the loader in the work directory (where -offline writes its files).
  ProcessResult Loader(const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& env) {
    ProcessResult result = RunProcess(SKYFLOW_LOADER_PATH, args, work(), seconds(120), env);
    outputs_.push_back(result.out);
    outputs_.push_back(result.err);
    return result;
  }

  // Every secret, searched in `text`; `where` names it in the failure.
  void ExpectNoSecret(const std::string& text, const std::string& where) const {
    for (const char* secret : {kToken, kWrongToken, kFlagPassword, kEnvPassword}) {
      EXPECT_EQ(text.find(secret), std::string::npos) << secret << " appears in " << where;
    }
  }

  // The configs and the emulator's token file hold the secrets on purpose;
  // they live outside the work directory, where everything is the loader's.
  std::string work() const { return dir_.File("work"); }
  std::string private_dir() const { return dir_.File("private"); }
  std::string emulator_dir() const { return dir_.File("emulator"); }
  std::string data_dir() const { return work() + "/data"; }
  std::string config_path() const { return private_dir() + "/config.json"; }
  std::string config_with_token_path() const { return private_dir() + "/config-token.json"; }

  TempDir dir_;
  std::unique_ptr<EmulatorProcess> emulator_;
  std::vector<std::string> outputs_;
};

TEST_F(SecretsTest, NoSecretInAnyOutputOrFileThroughRetriesRejectionsAndEveryLogForm) {
  const std::map<std::string, std::string> snowflake_env = {{"SNOWFLAKE_PASSWORD", kEnvPassword}};
  std::map<std::string, std::string> env_token = snowflake_env;
  env_token["SKYFLOW_BEARER_TOKEN"] = kToken;
  std::map<std::string, std::string> env_wrong = snowflake_env;
  env_wrong["SKYFLOW_BEARER_TOKEN"] = kWrongToken;

  // 1. -token and -sf-password on the command line, debug lines as JSON.
  const ProcessResult flags =
      Loader({"-config", config_path(), "-token", kToken, "-sf-password", kFlagPassword, "-v",
              "-log-format", "json", "-run-dir", work() + "/run-flags", "-summary-json",
              work() + "/summary-flags.json", "-metrics-addr", "127.0.0.1:0"},
             snowflake_env);
  EXPECT_EQ(flags.exit_code, 0) << flags.out << flags.err;
  // The run went through retries, which -v reports.
  EXPECT_NE(flags.err.find("\"level\":\"debug\""), std::string::npos) << flags.err;
  EXPECT_NE(flags.err.find("-token on the command line"), std::string::npos) << flags.err;

  // 2. The token from the environment, text debug lines, one attempt per
  // batch: the 500s make batches fail, into the error log and warnings.
  const ProcessResult from_env = Loader({"-config", config_path(), "-v", "-upsert", "-max-attempts",
                                         "1", "-run-dir", work() + "/run-env"},
                                        env_token);
  EXPECT_EQ(from_env.exit_code, 1) << from_env.out << from_env.err;
  EXPECT_NE(from_env.err.find("warning: vault "), std::string::npos) << from_env.err;

  // 3. The token in config.json, -offline: everything goes to the log file.
  const ProcessResult offline =
      Loader({"-config", config_with_token_path(), "-offline", "-v", "-log-format", "json",
              "-upsert", "-sf-password", kFlagPassword, "-run-dir", work() + "/run-offline"},
             snowflake_env);
  EXPECT_EQ(offline.exit_code, 0) << offline.out << offline.err;

  // 4. A rejected token (401) from the environment, and from the flag
  // offline: errors quote the server's answer, never the token.
  const ProcessResult rejected =
      Loader({"-config", config_path(), "-v", "-run-dir", work() + "/run-401", "-summary-json",
              work() + "/summary-401.json"},
             env_wrong);
  EXPECT_EQ(rejected.exit_code, 3) << rejected.out << rejected.err;
  EXPECT_NE(rejected.err.find("HTTP 401"), std::string::npos) << rejected.err;
  const ProcessResult rejected_offline =
      Loader({"-config", config_path(), "-token", kWrongToken, "-offline", "-v", "-log-format",
              "json", "-run-dir", work() + "/run-401-offline"},
             snowflake_env);
  EXPECT_EQ(rejected_offline.exit_code, 3) << rejected_offline.out << rejected_offline.err;

  // 5. -resume of the rejected run with the right token: the resume reads
  // the run directory, which holds no secret, and needs the token again.
  const ProcessResult resumed =
      Loader({"-resume", "-run-dir", work() + "/run-401", "-v"}, env_token);
  EXPECT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;

  for (size_t i = 0; i < outputs_.size(); ++i)
    ExpectNoSecret(outputs_[i],
                   (i % 2 == 0 ? "stdout of run " : "stderr of run ") + std::to_string(i / 2 + 1));

  // Every file the loader wrote: logs, run directories, summaries.
  size_t files = 0;
  bool offline_log_seen = false;
  bool error_log_seen = false;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(work())) {
    if (!entry.is_regular_file()) continue;
    const std::string path = entry.path().string();
    if (path.rfind(data_dir(), 0) == 0) continue;  // the generated input
    const std::string name = entry.path().filename().string();
    offline_log_seen = offline_log_seen || name.rfind("skyflow-loader-", 0) == 0;
    error_log_seen = error_log_seen || name.rfind("error_log_", 0) == 0;
    ExpectNoSecret(ReadFile(path), path);
    ++files;
  }
  EXPECT_TRUE(offline_log_seen) << "no -offline log file in " << work();
  EXPECT_TRUE(error_log_seen) << "no error log (run 2 gives batches up)";
  // run-flags/metrics.prom is the metrics page as the load ended.
  for (const char* must : {"run-flags/run.json", "run-flags/summary.json", "run-flags/metrics.prom",
                           "run-401/runs.jsonl", "summary-flags.json", "summary-401.json"}) {
    EXPECT_TRUE(std::filesystem::exists(work() + "/" + must)) << must;
  }
  EXPECT_GE(files, 15u);
}

}  // namespace
}  // namespace skyflow::testing
