// The load command: opens (or, with -resume, reopens) the run directory,
// loads every selected vault, reports, and says how to resume a load that
// stopped part-way.
//
// Exit codes (exit_codes.h): 0 when every row of the whole load is in the
// vault, 1 when some rows are in an error log, 2 for usage errors (including
// a resume against changed input), 3 when a fatal error stopped the run,
// 130/143 when SIGINT/SIGTERM stopped it.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "config/loader_config.h"

namespace skyflow {

struct LoadInvocation {
  std::string program;                 // argv[0], for the printed resume command
  std::vector<std::string> arguments;  // the command line, without the program
};

// `interrupted` is set by the signal handler, `signal_number` to the signal.
int RunLoadCommand(const LoaderConfig& config, const LoadInvocation& invocation,
                   const std::atomic<bool>& interrupted, const std::atomic<int>& signal_number);

}  // namespace skyflow
