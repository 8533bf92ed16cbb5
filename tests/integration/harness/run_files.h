// The files a load leaves in its run directory, as tests read them.
#pragma once

#include <string>
#include <vector>

namespace skyflow::testing {

// Every error_log_*.jsonl in `run_dir`, sorted by name; none when the
// directory does not exist.
std::vector<std::string> ErrorLogPaths(const std::string& run_dir);

// The content of every error log in `run_dir`, concatenated.
std::string ReadErrorLogs(const std::string& run_dir);

// Lines of every error log in `run_dir`.
size_t ErrorLogLines(const std::string& run_dir);

}  // namespace skyflow::testing
