// Offline mode (-offline), for loads that outlive an SSH session: the
// process ignores SIGHUP, sends all its output to a timestamped log file
// (skyflow-loader-YYYYMMDD-HHMMSS.log) and writes its pid to
// skyflow-loader.pid, both in the current directory, as the Go loader did.
#pragma once

#include <string>

#include "util/status.h"

namespace skyflow {

// On success, stdout and stderr point at the log file, whose path is
// returned. Call before any other thread starts.
Result<std::string> EnterOfflineMode();

}  // namespace skyflow
