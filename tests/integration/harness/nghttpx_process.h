// NghttpxProcess: nghttpx (Debian nghttp2-proxy) in front of an emulator, to
// offer HTTP/2 to clients while the emulator speaks HTTP/1.1 to its backend
// side: one h2c frontend (HTTP/2 without TLS, prior knowledge) and one TLS
// frontend (ALPN h2, http/1.1) with the given certificate. Each request is
// logged as "<alpn> <status> \"<request line>\"" to access_log(), so a test
// can prove which protocol a client used. Stopped with the object.
#pragma once

#include <memory>
#include <string>

#include "harness/subprocess.h"
#include "harness/system_tools.h"

namespace skyflow::testing {

class NghttpxProcess {
 public:
  // Fails the test when nghttpx is missing or does not listen within 10 s.
  NghttpxProcess(const std::string& work_dir, int backend_port, const TestPki& pki);
  ~NghttpxProcess();
  NghttpxProcess(const NghttpxProcess&) = delete;
  NghttpxProcess& operator=(const NghttpxProcess&) = delete;

  bool ready() const { return ready_; }
  std::string h2c_url() const { return "http://127.0.0.1:" + std::to_string(h2c_port_); }
  std::string tls_url() const { return "https://127.0.0.1:" + std::to_string(tls_port_); }
  const std::string& access_log() const { return access_log_; }

 private:
  void Stop();
  bool Start(const std::string& work_dir, int backend_port, const TestPki& pki, int attempt);

  std::unique_ptr<Subprocess> process_;
  std::string access_log_;
  std::string error_log_;
  int h2c_port_ = 0;
  int tls_port_ = 0;
  bool ready_ = false;
};

}  // namespace skyflow::testing
