// Scratch files for the error_log unit tests.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

namespace skyflow {

inline std::string ScratchPath(const std::string& name) {
  return ::testing::TempDir() + "/error_log_test_" + std::to_string(::getpid()) + "_" + name;
}

inline std::string WriteScratch(const std::string& name, const std::string& text) {
  const std::string path = ScratchPath(name);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path;
}

inline std::string ReadScratch(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace skyflow
