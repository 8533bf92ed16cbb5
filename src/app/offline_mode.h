// Offline mode (-offline), for loads that outlive an SSH session: the
// process ignores SIGHUP, sends all its output to a timestamped log file
// (skyflow-loader-YYYYMMDD-HHMMSS.log) and writes its pid to
// skyflow-loader.pid, both in the current directory, as the Go loader did.
// The pid file goes again when the process ends: on return from main or
// exit() (an atexit handler), and on the signal handlers' quick exits (they
// call RemoveOfflinePidFile). Only SIGKILL and crashes leave it behind.
#pragma once

#include <string>

#include "util/status.h"

namespace skyflow {

// On success, stdout and stderr point at the log file, whose path is
// returned. Call before any other thread starts.
Result<std::string> EnterOfflineMode();

// Deletes the pid file EnterOfflineMode wrote, if it still holds this
// process's id (another loader started in the same directory may have
// replaced it). Does nothing when offline mode was not entered.
// Async-signal-safe: a signal handler may call it before _exit.
void RemoveOfflinePidFile();

}  // namespace skyflow
