// TempDir: a fresh directory for one test, removed with everything in it when
// the object goes away (kept if SKYFLOW_KEEP_TEST_DIRS is set, for debugging).
#pragma once

#include <string>

namespace skyflow::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Whole-file helpers for test fixtures; they fail the test on I/O errors.
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& contents);

}  // namespace skyflow::testing
