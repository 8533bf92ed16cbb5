// EmulatorProcess: a skyflow-vault-emulator child on 127.0.0.1, port 0, for
// one test; the port is read from its --port-file. Stopped with the object,
// by SIGTERM: its shutdown must be clean (exit 0, and under the sanitizer
// presets no leak or race on the way out).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/subprocess.h"

namespace skyflow::testing {

struct TableStats {
  uint64_t records = 0;
  std::string digest;
};

class EmulatorProcess {
 public:
  // `extra_args` are appended (faults, for instance). Fails the test if the
  // emulator does not announce its port within 10 s.
  EmulatorProcess(const std::string& work_dir, const std::string& bearer_token,
                  const std::vector<std::string>& extra_args = {});
  ~EmulatorProcess();
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  bool ready() const { return port_ != 0; }
  int port() const { return port_; }
  std::string url() const { return scheme_ + "://127.0.0.1:" + std::to_string(port_); }
  // For an emulator started with --tls-cert/--tls-key: url() is https and
  // Stats() trusts `ca_file`.
  void UseTls(const std::string& ca_file) {
    scheme_ = "https";
    ca_file_ = ca_file;
  }

  // Sends `signal` (SIGKILL: a crash) and waits up to 10 s for the exit.
  void Stop(int signal);

  // GET /emulator/v1/stats, keyed "<vaultID>/<table>".
  std::map<std::string, TableStats> Stats() const;

  // One counter of the same answer, such as ("faults", "503") or
  // ("requests", "total").
  uint64_t StatsCounter(const char* group, const char* name) const;

 private:
  std::unique_ptr<Subprocess> process_;
  int port_ = 0;
  std::string scheme_ = "http";
  std::string ca_file_;
};

}  // namespace skyflow::testing
