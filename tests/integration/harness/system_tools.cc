#include "harness/system_tools.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {
namespace {

sockaddr_in Loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

bool RunOpenssl(const std::string& openssl, const std::string& dir,
                const std::vector<std::string>& args) {
  const ProcessResult result = RunProcess(openssl, args, dir, std::chrono::seconds(30));
  if (result.exit_code != 0) ADD_FAILURE() << "openssl " << args[0] << " failed: " << result.err;
  return result.exit_code == 0;
}

}  // namespace

std::string FindProgram(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string directories = path != nullptr ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= directories.size()) {
    size_t end = directories.find(':', start);
    if (end == std::string::npos) end = directories.size();
    const std::string candidate = directories.substr(start, end - start) + "/" + name;
    if (end > start && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

TestPki MakeTestPki(const std::string& dir, const std::string& name) {
  TestPki pki;
  const std::string openssl = FindProgram("openssl");
  if (openssl.empty()) {
    ADD_FAILURE() << "openssl is not installed (scripts/install-deps.sh)";
    return pki;
  }
  const std::string base = dir + "/" + name;
  pki.ca_cert = base + "-ca.pem";
  pki.server_cert = base + "-server.pem";
  pki.server_key = base + "-server.key";
  const std::string ca_key = base + "-ca.key";
  const std::string request = base + "-server.csr";
  const std::string extensions = base + "-server.ext";
  WriteFile(extensions,
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
            "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n");
  // P-256 keys: fast to make, supported by every TLS stack involved.
  pki.ok = RunOpenssl(openssl, dir,
                      {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                       "-nodes", "-keyout", ca_key, "-out", pki.ca_cert, "-days", "2", "-subj",
                       "/CN=" + name + " test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                       "-addext", "keyUsage=critical,keyCertSign,cRLSign"}) &&
           RunOpenssl(openssl, dir,
                      {"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                       "-keyout", pki.server_key, "-out", request, "-subj", "/CN=127.0.0.1"}) &&
           RunOpenssl(
               openssl, dir,
               {"x509", "-req", "-in", request, "-CA", pki.ca_cert, "-CAkey", ca_key,
                "-CAcreateserial", "-out", pki.server_cert, "-days", "2", "-extfile", extensions});
  return pki;
}

int FreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in address = Loopback(0);
  socklen_t size = sizeof(address);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

bool WaitForListener(int port, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in address = Loopback(port);
    const bool connected =
        ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    ::close(fd);
    if (connected) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace skyflow::testing
