// MetricsServer: a tiny HTTP/1.1 server for the metrics page
// (-metrics-addr). One thread accepts connections (poll() on the listening
// socket and an eventfd that Stop() signals), reads one request head (at
// most max_head_bytes, within request_timeout), answers and closes the
// connection: no keep-alive, one client at a time.
//   GET or HEAD /metrics (any query string)  200, the page `render` returns,
//                                           Content-Type kPrometheusContentType
//   another path                            404
//   another method on /metrics              405
//   a head that is not HTTP                 400; too large: 431; too slow: closed
// A client that sends nothing, or reads nothing, holds the thread at most
// request_timeout (each of reading and writing) and never delays Stop(). It
// listens only where it is told: the address given, never another.
//
// `render` runs on the server's thread; it must be safe to call from there.
// Start/Stop/address are for the owning thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "util/status.h"

namespace skyflow {

struct MetricsServerOptions {
  std::chrono::milliseconds request_timeout{2000};
  size_t max_head_bytes = 8192;
};

class MetricsServer {
 public:
  // Listens on `address` (HOST:PORT, util/host_port.h; port 0: a free one).
  // InvalidArgument for an address that is not HOST:PORT; Unavailable when
  // it cannot be listened on (in use, not an address of this machine).
  static Result<std::unique_ptr<MetricsServer>> Start(const std::string& address,
                                                      std::function<std::string()> render,
                                                      MetricsServerOptions options = {});
  ~MetricsServer();  // Stop()
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // Stops accepting, ends a request being served, joins the thread.
  // Idempotent.
  void Stop();

  // Where it listens, with the port the system chose: "127.0.0.1:40123",
  // "[::1]:40123".
  const std::string& address() const { return address_; }
  std::string url() const { return "http://" + address_ + "/metrics"; }

 private:
  MetricsServer(int listen_fd, int stop_fd, std::string address,
                std::function<std::string()> render, MetricsServerOptions options);
  void Loop();
  void Serve(int fd);
  // False when the deadline passed, the peer went, or Stop() was called.
  bool AwaitReady(int fd, short events, std::chrono::steady_clock::time_point deadline);

  int listen_fd_;
  int stop_fd_;
  std::string address_;
  std::function<std::string()> render_;
  MetricsServerOptions options_;
  std::thread thread_;
};

// GET http://ADDRESS/metrics with a plain blocking socket, for `status`:
// the body of a 200 answer, at most 16 MiB, within `timeout` overall.
// Unavailable when nothing answers there, or not with 200.
Result<std::string> FetchMetricsPage(const std::string& address, std::chrono::milliseconds timeout);

}  // namespace skyflow
