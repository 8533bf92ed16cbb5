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
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skyflow {

struct HttpRequest {
  std::string url;
  // Sent as the POST body without copying: it must stay alive and unchanged
  // until the completion callback has run.
  std::string_view body;
  std::vector<std::string> headers;  // "Name: value"
  std::chrono::milliseconds timeout{60000};
};

struct HttpResponse {
  long status = 0;  // 0 when no HTTP answer arrived (see transport_error)
  std::string body;
  std::string request_id;  // X-Request-Id, for support and error logs
  std::optional<std::chrono::milliseconds> retry_after;
  std::string transport_error;  // libcurl's description when status == 0
  bool timed_out = false;       // the transport error was a timeout
  // The transport error was the server's TLS certificate failing
  // verification (or the CA file being unusable): retrying cannot help.
  bool tls_untrusted = false;
  std::string http_version;  // "1.1", "2"
  std::chrono::steady_clock::duration elapsed{};

  bool transport_failed() const { return status == 0; }
};

struct HttpLoopOptions {
  bool verify_tls = true;
  std::string ca_file;  // extra CA bundle (PEM); empty = system store
  std::chrono::milliseconds connect_timeout{10000};
  // Upper bound on open connections; sized from the total concurrency.
  long max_connections = 64;
};

class HttpLoop {
 public:
  using Completion = std::function<void(HttpResponse&&)>;

  explicit HttpLoop(const HttpLoopOptions& options);
  ~HttpLoop();
  HttpLoop(const HttpLoop&) = delete;
  HttpLoop& operator=(const HttpLoop&) = delete;

  // Starts a POST; `done` runs exactly once, from a later Poll(), with the
  // response or the transport failure.
  void Post(HttpRequest request, Completion done);

  // Advances transfers and runs completions; waits at most `max_wait` for
  // network activity, less if Wakeup() is called.
  void Poll(std::chrono::milliseconds max_wait);

  // Thread-safe: makes a concurrent or the next Poll() return promptly.
  void Wakeup();

  size_t in_flight() const { return in_flight_; }

 private:
  struct Transfer;

  void Configure(Transfer& transfer);
  void Complete(Transfer* transfer, int curl_code);

  HttpLoopOptions options_;
  void* multi_ = nullptr;  // CURLM*, kept opaque so curl.h stays out of headers
  std::vector<std::unique_ptr<Transfer>> idle_transfers_;
  size_t in_flight_ = 0;
};

// Parses a Retry-After header value: delta-seconds or an HTTP-date.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now);

}  // namespace skyflow
