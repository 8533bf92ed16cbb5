#include "app/offline_mode.h"

#include <fcntl.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): sigaction is POSIX, not in <csignal>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "util/errno_text.h"

namespace skyflow {
namespace {

// Set once by EnterOfflineMode, before any signal handler can run; read by
// RemoveOfflinePidFile without allocating (it runs in signal handlers).
char pid_file_path[4096] = "";
char pid_file_text[32] = "";
size_t pid_file_text_size = 0;

}  // namespace

void RemoveOfflinePidFile() {
  if (pid_file_path[0] == '\0') return;
  const int file = ::open(pid_file_path, O_RDONLY | O_CLOEXEC);
  if (file < 0) return;
  char held[sizeof(pid_file_text)];
  const ssize_t size = ::read(file, held, sizeof(held));
  ::close(file);
  if (size == static_cast<ssize_t>(pid_file_text_size) &&
      std::memcmp(held, pid_file_text, pid_file_text_size) == 0) {
    ::unlink(pid_file_path);
  }
  pid_file_path[0] = '\0';
}

Result<std::string> EnterOfflineMode() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  localtime_r(&now, &parts);
  char name[64];
  std::strftime(name, sizeof(name), "skyflow-loader-%Y%m%d-%H%M%S.log", &parts);
  const std::string log_path = name;

  const int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log < 0) {
    return Status::IoError("-offline: cannot create " + log_path + ": " + ErrnoText(errno));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  const int pid_file = ::open("skyflow-loader.pid", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (pid_file < 0 ||
      ::write(pid_file, pid.data(), pid.size()) != static_cast<ssize_t>(pid.size())) {
    const std::string reason = ErrnoText(errno);
    if (pid_file >= 0) ::close(pid_file);
    ::close(log);
    return Status::IoError("-offline: cannot write skyflow-loader.pid: " + reason);
  }
  ::close(pid_file);
  // An absolute path: the file goes even if the working directory changes.
  char directory[sizeof(pid_file_path) - 32];
  if (::getcwd(directory, sizeof(directory)) != nullptr && pid.size() < sizeof(pid_file_text)) {
    std::snprintf(pid_file_path, sizeof(pid_file_path), "%s/skyflow-loader.pid", directory);
    // Not a C string: pid_file_text_size says how many bytes it holds.
    std::memcpy(pid_file_text, pid.data(),  // NOLINT(bugprone-not-null-terminated-result)
                pid.size());
    pid_file_text_size = pid.size();
    std::atexit(RemoveOfflinePidFile);
  }

  std::printf("Offline mode: output goes to %s; process id %d is in skyflow-loader.pid\n",
              log_path.c_str(), static_cast<int>(::getpid()));
  std::fflush(stdout);
  std::fflush(stderr);
  ::signal(SIGHUP, SIG_IGN);
  const int null_input = ::open("/dev/null", O_RDONLY);
  if (null_input >= 0) {
    ::dup2(null_input, STDIN_FILENO);
    ::close(null_input);
  }
  ::dup2(log, STDOUT_FILENO);
  ::dup2(log, STDERR_FILENO);
  ::close(log);
  return log_path;
}

}  // namespace skyflow
