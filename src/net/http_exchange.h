// HttpRequest and HttpResponse: one HTTP exchange as the loader sees it,
// independent of how it is carried (libcurl in production, a scripted fake in
// tests). Plain values; not synchronised.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skyflow {

enum class HttpMethod { kPost, kGet, kDelete };

const char* HttpMethodName(HttpMethod method);

struct HttpRequest {
  HttpMethod method = HttpMethod::kPost;
  std::string url;
  // Sent as the body (POST, DELETE) without copying: it must stay alive and
  // unchanged until the completion callback has run.
  std::string_view body;
  std::vector<std::string> headers;  // "Name: value"
  std::chrono::milliseconds timeout{60000};
};

struct HttpResponse {
  long status = 0;  // 0 when no HTTP answer arrived (see transport_error)
  std::string body;
  std::string request_id;  // X-Request-Id, for support and error logs
  std::optional<std::chrono::milliseconds> retry_after;
  std::string location;         // Location of a redirect (never followed)
  std::string transport_error;  // the transport's description when status == 0
  bool timed_out = false;       // the transport error was a timeout
  // The transport error was the server's TLS certificate failing
  // verification (or the CA file being unusable): retrying cannot help.
  bool tls_untrusted = false;
  std::string http_version;  // "1.1", "2"
  long new_connections = 0;  // connections opened for this exchange (0: one was reused)
  std::string peer;          // "IP:port" of the server that answered, when known
  std::chrono::steady_clock::duration elapsed{};

  bool transport_failed() const { return status == 0; }
};

}  // namespace skyflow
