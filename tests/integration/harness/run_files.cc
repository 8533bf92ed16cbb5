#include "harness/run_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace skyflow::testing {

std::vector<std::string> ErrorLogPaths(const std::string& run_dir) {
  std::vector<std::string> paths;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(run_dir, error)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("error_log_") && name.ends_with(".jsonl")) {
      paths.push_back(entry.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::string ReadErrorLogs(const std::string& run_dir) {
  std::string all;
  for (const std::string& path : ErrorLogPaths(run_dir)) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    all += content.str();
  }
  return all;
}

size_t ErrorLogLines(const std::string& run_dir) {
  const std::string all = ReadErrorLogs(run_dir);
  return static_cast<size_t>(std::count(all.begin(), all.end(), '\n'));
}

}  // namespace skyflow::testing
