#include "app/offline_mode.h"

#include <fcntl.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): sigaction is POSIX, not in <csignal>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

#include "util/errno_text.h"

namespace skyflow {

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
