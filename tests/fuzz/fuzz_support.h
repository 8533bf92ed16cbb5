// What every fuzz target shares: a property check that stops the run, and
// scratch files for the code under test that reads paths.
//
// FUZZ_CHECK aborts rather than asserting: the fuzz preset builds with
// NDEBUG, and an abort is what makes libFuzzer keep the input as a crash
// artifact. One process runs one input at a time; nothing here is
// thread-safe.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "util/status.h"

namespace skyflow::fuzz {

[[noreturn]] inline void Fail(const char* condition, const char* file, int line,
                              const std::string& detail) {
  std::fprintf(stderr, "\n%s:%d: property failed: %s\n  %s\n", file, line, condition,
               detail.c_str());
  std::abort();
}

// The directory this process writes its scratch files in: a fresh one under
// $TMPDIR (scripts/fuzz.sh points it into build/fuzz), removed at exit.
inline const std::string& ScratchDir() {
  static const std::string dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/skyflow-fuzz-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
    static std::string removed_at_exit = pattern;
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(removed_at_exit, ignored);
    });
    return pattern;
  }();
  return dir;
}

// Replaces the file at `path` with `bytes`; a failure is the harness's, not
// the code's under test, so it aborts. The old file is unlinked rather than
// truncated: ext4 flushes a file truncated and rewritten when it is closed,
// which costs a disk write per run.
inline void WriteFile(const std::string& path, std::string_view bytes) {
  ::unlink(path.c_str());
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::perror(path.c_str());
    std::abort();
  }
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n <= 0) {
      std::perror(path.c_str());
      std::abort();
    }
    written += static_cast<size_t>(n);
  }
  ::close(fd);
}

inline std::string Describe(const Status& status) {
  return status.ok() ? "OK" : status.ToString();
}

inline bool SameStatus(const Status& a, const Status& b) {
  return a.code() == b.code() && a.message() == b.message();
}

// Printable form of arbitrary bytes for a failure message.
inline std::string Escaped(std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && c != '"' && c != '\\') {
      out.push_back(c);
    } else {
      out += "\\x";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xf]);
    }
  }
  return out + "\"";
}

}  // namespace skyflow::fuzz

// Checks a property of the code under test; `detail` (a std::string
// expression) is built only when it fails.
#define FUZZ_CHECK(condition, detail)                                                  \
  do {                                                                                 \
    if (!(condition)) ::skyflow::fuzz::Fail(#condition, __FILE__, __LINE__, (detail)); \
  } while (false)
