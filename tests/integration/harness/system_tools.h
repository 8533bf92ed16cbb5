// Programs of the system the tests drive (curl, openssl, nghttpx), found on
// PATH, and the TLS material tests need: a throwaway CA and a server
// certificate for 127.0.0.1 made with the openssl CLI.
#pragma once

#include <string>

namespace skyflow::testing {

// The full path of `name` on PATH, or empty when it is not installed.
std::string FindProgram(const std::string& name);

struct TestPki {
  std::string ca_cert;      // PEM; what clients are told to trust
  std::string server_cert;  // PEM, issued by the CA, subjectAltName IP:127.0.0.1
  std::string server_key;   // PEM, unencrypted
  bool ok = false;
};

// Creates a CA and a server certificate under `dir` with files named after
// `name` (so one test can make two unrelated CAs). Fails the test (and
// returns ok = false) when openssl is missing or refuses.
TestPki MakeTestPki(const std::string& dir, const std::string& name = "test");

// A free loopback TCP port (bound once, then released): for programs that
// cannot report the port they chose. Another process may take it before
// the program binds it; callers retry on failure.
int FreeLoopbackPort();

// True once something accepts TCP connections on 127.0.0.1:`port`
// (polling for up to `timeout_ms`).
bool WaitForListener(int port, int timeout_ms);

}  // namespace skyflow::testing
