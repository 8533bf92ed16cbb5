// SqlApiEmulatorProcess: a skyflow-sqlapi-emulator child on 127.0.0.1, port
// 0, for one test; the port is read from its --port-file. The caller gives
// the rest of the command line (--pg-dsn, credentials, partition sizes,
// faults). Stopped with the object by SIGTERM, which must end it cleanly
// (exit 0).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/subprocess.h"

namespace skyflow::testing {

class SqlApiEmulatorProcess {
 public:
  // Fails the test if the emulator does not announce its port within 10 s.
  SqlApiEmulatorProcess(const std::string& work_dir, const std::vector<std::string>& args);
  ~SqlApiEmulatorProcess();
  SqlApiEmulatorProcess(const SqlApiEmulatorProcess&) = delete;
  SqlApiEmulatorProcess& operator=(const SqlApiEmulatorProcess&) = delete;

  bool ready() const { return port_ != 0; }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // One counter of GET /emulator/v1/stats ("statements_executed", ...).
  uint64_t StatsCounter(const char* name) const;

 private:
  std::unique_ptr<Subprocess> process_;
  int port_ = 0;
};

}  // namespace skyflow::testing
