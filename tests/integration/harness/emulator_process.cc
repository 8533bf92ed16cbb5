#include "harness/emulator_process.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

#include "harness/http_request.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {

EmulatorProcess::EmulatorProcess(const std::string& work_dir, const std::string& bearer_token,
                                 const std::vector<std::string>& extra_args) {
  const std::string port_file = work_dir + "/emulator.port";
  const std::string token_file = work_dir + "/emulator.token";
  WriteFile(token_file, bearer_token + "\n");
  // A port file left by an earlier emulator in the same directory (a
  // restart) must not be mistaken for this one's.
  std::filesystem::remove(port_file);
  std::vector<std::string> args{"--listen",
                                "127.0.0.1:0",
                                "--port-file",
                                port_file,
                                "--bearer-token-file",
                                token_file,
                                "--threads",
                                "2"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<Subprocess>(SKYFLOW_EMULATOR_PATH, args, work_dir);

  for (int attempt = 0; attempt < 1000 && port_ == 0; ++attempt) {
    if (std::filesystem::exists(port_file)) {
      port_ = std::atoi(ReadFile(port_file).c_str());
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (port_ == 0) ADD_FAILURE() << "emulator did not start: " << process_->StderrSoFar();
}

EmulatorProcess::~EmulatorProcess() {
  if (!process_->running()) return;  // stopped (or crashed on purpose) already
  process_->Signal(SIGTERM);
  const ProcessResult result = process_->Wait(std::chrono::seconds(10));
  EXPECT_EQ(result.exit_code, 0) << "the emulator did not stop cleanly on SIGTERM: " << result.err;
}

void EmulatorProcess::Stop(int signal) {
  process_->Signal(signal);
  process_->Wait(std::chrono::seconds(10));
}

std::map<std::string, TableStats> EmulatorProcess::Stats() const {
  std::map<std::string, TableStats> tables;
  const HttpAnswer reply = HttpGet(url() + "/emulator/v1/stats", ca_file_);
  EXPECT_EQ(reply.status, 200) << reply.body;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(reply.body).get(root)) {
    ADD_FAILURE() << "stats are not JSON: " << reply.body;
    return tables;
  }
  simdjson::dom::object table_objects;
  if (root["tables"].get_object().get(table_objects)) return tables;
  for (auto [name, table] : table_objects) {
    TableStats stats;
    stats.records = table["records"].get_uint64().value_unsafe();
    stats.digest = std::string(table["digest"].get_string().value_unsafe());
    tables[std::string(name)] = stats;
  }
  return tables;
}

uint64_t EmulatorProcess::StatsCounter(const char* group, const char* name) const {
  const HttpAnswer reply = HttpGet(url() + "/emulator/v1/stats", ca_file_);
  simdjson::dom::parser parser;
  uint64_t count = 0;
  EXPECT_FALSE(parser.parse(reply.body)[group][name].get_uint64().get(count)) << reply.body;
  return count;
}

}  // namespace skyflow::testing
