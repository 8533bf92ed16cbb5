#include "harness/sqlapi_emulator_process.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

#include "harness/http_request.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {

SqlApiEmulatorProcess::SqlApiEmulatorProcess(const std::string& work_dir,
                                             const std::vector<std::string>& args) {
  const std::string port_file = work_dir + "/sqlapi-emulator.port";
  std::filesystem::remove(port_file);
  std::vector<std::string> all{"--port", "0", "--port-file", port_file, "--threads", "2"};
  all.insert(all.end(), args.begin(), args.end());
  process_ = std::make_unique<Subprocess>(SKYFLOW_SQLAPI_EMULATOR_PATH, all, work_dir);
  for (int attempt = 0; attempt < 1000 && port_ == 0; ++attempt) {
    if (std::filesystem::exists(port_file)) {
      port_ = std::atoi(ReadFile(port_file).c_str());
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (port_ == 0) ADD_FAILURE() << "SQL API emulator did not start: " << process_->StderrSoFar();
}

SqlApiEmulatorProcess::~SqlApiEmulatorProcess() {
  if (!process_->running()) return;
  process_->Signal(SIGTERM);
  const ProcessResult result = process_->Wait(std::chrono::seconds(10));
  EXPECT_EQ(result.exit_code, 0) << "the SQL API emulator did not stop cleanly on SIGTERM: "
                                 << result.err;
}

uint64_t SqlApiEmulatorProcess::StatsCounter(const char* name) const {
  const HttpAnswer reply = HttpGet(url() + "/emulator/v1/stats");
  simdjson::dom::parser parser;
  uint64_t count = 0;
  EXPECT_FALSE(parser.parse(reply.body)[name].get_uint64().get(count)) << reply.body;
  return count;
}

}  // namespace skyflow::testing
