#include "harness/paced_load_fixture.h"

#include <chrono>
#include <map>

#include "harness/loader_config.h"

namespace skyflow::testing {

void PacedLoadTest::Prepare(int records, int latency_ms) {
  emulator_ = std::make_unique<EmulatorProcess>(
      dir_.path(), token_, std::vector<std::string>{"--latency-ms", std::to_string(latency_ms)});
  ASSERT_TRUE(emulator_->ready());
  WriteFile(dir_.File("config.json"),
            LoaderConfigJson(emulator_->url(), dir_.File("data"), {{"NAME", "vault_name", "name"}},
                             R"("batch_size":100,"max_concurrency":1,)"
                             R"("concurrency_mode":"fixed","max_records":0)"));
  const ProcessResult generated = Loader({"-generate", std::to_string(records)});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
}

std::vector<std::string> PacedLoadTest::WithConfig(const std::vector<std::string>& args) const {
  std::vector<std::string> command = {"-config", dir_.File("config.json")};
  command.insert(command.end(), args.begin(), args.end());
  return command;
}

ProcessResult PacedLoadTest::Loader(const std::vector<std::string>& args) {
  return RunProcess(SKYFLOW_LOADER_PATH, WithConfig(args), dir_.path(), std::chrono::seconds(120),
                    {{"SKYFLOW_BEARER_TOKEN", token_}});
}

std::unique_ptr<Subprocess> PacedLoadTest::StartLoader(const std::vector<std::string>& args) {
  return std::make_unique<Subprocess>(
      SKYFLOW_LOADER_PATH, WithConfig(args), dir_.path(),
      std::map<std::string, std::string>{{"SKYFLOW_BEARER_TOKEN", token_}});
}

}  // namespace skyflow::testing
