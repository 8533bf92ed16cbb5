// The emulator out of file descriptors: it must neither spin on its
// listening socket nor stop serving once descriptors free up.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "harness/http_request.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {
namespace {

// User plus system CPU time of `pid`, in clock ticks (/proc/PID/stat).
long CpuTicks(pid_t pid) {
  const std::string text = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  const size_t after_name = text.rfind(')');
  if (after_name == std::string::npos) return -1;
  std::istringstream fields(text.substr(after_name + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  return utime + stime;
}

int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

TEST(EmulatorLimitsTest, OutOfDescriptorsItWaitsInsteadOfSpinningAndRecovers) {
  TempDir dir;
  const std::string port_file = dir.path() + "/port";
  // `exec` keeps the pid: the shell becomes the emulator, with 24 descriptors.
  Subprocess emulator("/bin/sh",
                      {"-c",
                       "ulimit -n 24 && exec \"$0\" --listen 127.0.0.1:0 --port-file \"$1\" "
                       "--threads 1",
                       SKYFLOW_EMULATOR_PATH, port_file},
                      dir.path());
  int port = 0;
  for (int i = 0; i < 500 && port == 0; ++i) {
    if (std::filesystem::exists(port_file)) port = std::atoi(ReadFile(port_file).c_str());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_NE(port, 0) << emulator.StderrSoFar();

  // More connections than it has descriptors: the rest wait in the backlog.
  std::vector<int> held;
  for (int i = 0; i < 40; ++i) {
    const int fd = Connect(port);
    if (fd >= 0) held.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const long before = CpuTicks(emulator.pid());
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const long spent = CpuTicks(emulator.pid()) - before;
  // Spinning would cost about a second (100 ticks); pausing costs almost nothing.
  EXPECT_LT(spent, 30) << "ticks of CPU in 1 s while out of descriptors";

  for (const int fd : held)
    ::close(fd);
  // Descriptors free again: it serves (bounded retries).
  long status = 0;
  for (int attempt = 0; attempt < 50 && status != 200; ++attempt) {
    status =
        HttpCall("GET", "http://127.0.0.1:" + std::to_string(port) + "/emulator/v1/stats").status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 200);
}

}  // namespace
}  // namespace skyflow::testing
