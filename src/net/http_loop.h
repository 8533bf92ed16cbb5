// HttpLoop: one event loop that runs many HTTP requests at once on libcurl's
// multi interface.
//
// Connections are pooled in the multi handle and reused across requests;
// HTTP/2 is negotiated over TLS (ALPN) and requests are multiplexed on one
// connection where the server offers it, HTTP/1.1 keep-alive otherwise. TLS
// certificates are verified unless the caller explicitly disables it.
//
// Threading: every method except Wakeup() must be called from the one thread
// that owns the loop; completion callbacks run on that thread, inside Poll().
// Wakeup() may be called from any thread to end a Poll() early (for example
// when a producer has queued new work).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "net/http_exchange.h"
#include "net/http_transport.h"

namespace skyflow {

struct HttpLoopOptions {
  bool verify_tls = true;
  std::string ca_file;  // extra CA bundle (PEM); empty = system store
  std::chrono::milliseconds connect_timeout{10000};
  // Connections idle longer than this are closed rather than reused.
  std::chrono::seconds max_idle{60};
  // Upper bound on open connections; sized from the total concurrency.
  long max_connections = 64;
  // A response body larger than this is cut off and the request fails with
  // a transport error: a misbehaving server cannot exhaust memory.
  size_t max_response_bytes = 64u << 20;
};

class HttpLoop final : public HttpTransport {
 public:
  explicit HttpLoop(const HttpLoopOptions& options);
  ~HttpLoop() override;
  HttpLoop(const HttpLoop&) = delete;
  HttpLoop& operator=(const HttpLoop&) = delete;

  // Starts a request; `done` runs exactly once, from a later Poll(), with
  // the response or the transport failure. Redirects are never followed (a
  // bearer token must not travel to another host).
  void Send(HttpRequest request, Completion done) override;

  // Advances transfers and runs completions; waits at most `max_wait` for
  // network activity, less if Wakeup() is called.
  void Poll(std::chrono::milliseconds max_wait) override;

  // Thread-safe: makes a concurrent or the next Poll() return promptly.
  void Wakeup() override;

  void CancelAll(const std::string& reason) override;

  size_t in_flight() const { return in_flight_; }

 private:
  struct Transfer;

  void Configure(Transfer& transfer);
  void Complete(Transfer* transfer, int curl_code);

  HttpLoopOptions options_;
  void* multi_ = nullptr;  // CURLM*, kept opaque so curl.h stays out of headers
  std::vector<std::unique_ptr<Transfer>> idle_transfers_;
  std::unordered_set<Transfer*> active_transfers_;
  size_t in_flight_ = 0;
};

// Parses a Retry-After header value: delta-seconds or an HTTP-date.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now);

}  // namespace skyflow
