#include "harness/nghttpx_process.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <vector>

#include "harness/temp_dir.h"

namespace skyflow::testing {

NghttpxProcess::NghttpxProcess(const std::string& work_dir, int backend_port, const TestPki& pki) {
  // The frontend ports are picked free, then bound by nghttpx: another
  // process may take one in between, so a failed start is retried on new
  // ports.
  for (int attempt = 0; attempt < 3 && !ready_; ++attempt) {
    ready_ = Start(work_dir, backend_port, pki, attempt);
  }
  if (!ready_) {
    ADD_FAILURE() << "nghttpx did not start: "
                  << (std::filesystem::exists(error_log_) ? ReadFile(error_log_) : "no log");
  }
}

bool NghttpxProcess::Start(const std::string& work_dir, int backend_port, const TestPki& pki,
                           int attempt) {
  const std::string nghttpx = FindProgram("nghttpx");
  if (nghttpx.empty()) {
    ADD_FAILURE() << "nghttpx is not installed (Debian package nghttp2-proxy; "
                     "scripts/install-deps.sh)";
    return false;
  }
  Stop();
  h2c_port_ = FreeLoopbackPort();
  tls_port_ = FreeLoopbackPort();
  const std::string suffix = std::to_string(attempt);
  access_log_ = work_dir + "/nghttpx-access-" + suffix + ".log";
  error_log_ = work_dir + "/nghttpx-error-" + suffix + ".log";
  const std::vector<std::string> args{
      "--conf=/dev/null",  // not /etc/nghttpx/nghttpx.conf
      "--frontend=127.0.0.1," + std::to_string(h2c_port_) + ";no-tls",
      "--frontend=127.0.0.1," + std::to_string(tls_port_),
      "--backend=127.0.0.1," + std::to_string(backend_port),
      "--workers=1",
      "--no-ocsp",
      "--accesslog-file=" + access_log_,
      "--accesslog-format=$alpn $status \"$request\"",
      "--errorlog-file=" + error_log_,
      pki.server_key,
      pki.server_cert};
  process_ = std::make_unique<Subprocess>(nghttpx, args, work_dir);
  return WaitForListener(h2c_port_, 10000) && WaitForListener(tls_port_, 10000);
}

NghttpxProcess::~NghttpxProcess() {
  Stop();
}

void NghttpxProcess::Stop() {
  if (process_ == nullptr) return;
  // SIGTERM: the master stops its worker process too (SIGKILL would leave
  // the worker behind).
  process_->Signal(SIGTERM);
  process_->Wait(std::chrono::seconds(5));
  process_.reset();
}

}  // namespace skyflow::testing
