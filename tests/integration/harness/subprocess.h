// Subprocess: runs one of the project's binaries as a child process, with its
// standard output and error captured to files, and a hard deadline so that a
// hung child can never hang the test suite.
//
// A sanitizer report in a child's standard error (ASan, LSan, UBSan, TSan:
// the sanitizer presets build the loader and the emulator instrumented) fails
// the test that ran it, whether the child exited, was waited for, or was
// killed when the object went away.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace skyflow::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed at the deadline or by a signal
  bool timed_out = false;
  std::string out;
  std::string err;
};

class Subprocess {
 public:
  // Starts `program` with `args` in the directory `log_dir`; `env` entries
  // are added to (or replace in) the parent's environment. Output goes to
  // files under `log_dir`.
  Subprocess(const std::string& program, const std::vector<std::string>& args,
             const std::string& log_dir, const std::map<std::string, std::string>& env = {});
  ~Subprocess();  // kills the child if it still runs
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  // Waits up to `deadline`; kills the child (SIGKILL) if it is still running.
  ProcessResult Wait(std::chrono::milliseconds deadline);

  // Sends `signal` (SIGINT, SIGTERM ...) without waiting.
  void Signal(int signal);

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  std::string StderrSoFar() const;

 private:
  void FailOnSanitizerReport(const std::string& err) const;

  std::string program_;
  pid_t pid_ = -1;
  std::string out_path_;
  std::string err_path_;
};

// Runs to completion within `deadline`.
ProcessResult RunProcess(const std::string& program, const std::vector<std::string>& args,
                         const std::string& log_dir, std::chrono::milliseconds deadline,
                         const std::map<std::string, std::string>& env = {});

}  // namespace skyflow::testing
