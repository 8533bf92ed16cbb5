#include "net/http_loop.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <stdexcept>

#include "util/ascii.h"

namespace skyflow {
namespace {

CURLM* AsMulti(void* handle) {
  return static_cast<CURLM*>(handle);
}

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("libcurl global initialisation failed");
    }
  });
}

std::string_view TrimHeaderValue(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
    value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ' ||
                            value.back() == '\t')) {
    value.remove_suffix(1);
  }
  return value;
}

}  // namespace

struct HttpLoop::Transfer {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  HttpRequest request;
  HttpResponse response;
  Completion done;
  std::chrono::steady_clock::time_point started;
  char error_buffer[CURL_ERROR_SIZE] = {};

  ~Transfer() {
    if (headers != nullptr) curl_slist_free_all(headers);
    if (easy != nullptr) curl_easy_cleanup(easy);
  }

  size_t max_response_bytes = 0;

  static size_t OnBody(char* data, size_t size, size_t count, void* self) {
    auto* transfer = static_cast<Transfer*>(self);
    if (transfer->response.body.size() + size * count > transfer->max_response_bytes) {
      return 0;  // libcurl fails the transfer with CURLE_WRITE_ERROR
    }
    transfer->response.body.append(data, size * count);
    return size * count;
  }

  static size_t OnHeader(char* data, size_t size, size_t count, void* self) {
    auto* transfer = static_cast<Transfer*>(self);
    const std::string_view line(data, size * count);
    // A response may be preceded by interim ones (100 Continue) or redirects:
    // only the final headers are kept.
    if (StartsWithIgnoreCase(line, "HTTP/")) {
      transfer->response.request_id.clear();
      transfer->response.retry_after.reset();
      transfer->response.location.clear();
    } else if (StartsWithIgnoreCase(line, "x-request-id:")) {
      transfer->response.request_id = std::string(TrimHeaderValue(line.substr(13)));
    } else if (StartsWithIgnoreCase(line, "location:")) {
      transfer->response.location = std::string(TrimHeaderValue(line.substr(9)));
    } else if (StartsWithIgnoreCase(line, "retry-after:")) {
      transfer->response.retry_after =
          ParseRetryAfter(TrimHeaderValue(line.substr(12)), std::chrono::system_clock::now());
    }
    return size * count;
  }
};

HttpLoop::HttpLoop(const HttpLoopOptions& options) : options_(options) {
  InitCurlOnce();
  multi_ = curl_multi_init();
  if (multi_ == nullptr) throw std::runtime_error("curl_multi_init failed");
  curl_multi_setopt(AsMulti(multi_), CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  curl_multi_setopt(AsMulti(multi_), CURLMOPT_MAXCONNECTS, options_.max_connections);
  curl_multi_setopt(AsMulti(multi_), CURLMOPT_MAX_TOTAL_CONNECTIONS, options_.max_connections);
}

HttpLoop::~HttpLoop() {
  // Transfers still running are abandoned: their completions never run.
  for (Transfer* transfer : active_transfers_) {
    curl_multi_remove_handle(AsMulti(multi_), transfer->easy);
    delete transfer;
  }
  idle_transfers_.clear();
  curl_multi_cleanup(AsMulti(multi_));
}

void HttpLoop::Configure(Transfer& transfer) {
  CURL* easy = transfer.easy;
  curl_easy_reset(easy);
  curl_easy_setopt(easy, CURLOPT_URL, transfer.request.url.c_str());
  if (transfer.request.method == HttpMethod::kGet) {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, transfer.request.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(transfer.request.body.size()));
    if (transfer.request.method == HttpMethod::kDelete) {
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, "DELETE");
    }
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer.headers);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Transfer::OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Transfer::OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, &transfer);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.error_buffer);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(transfer.request.timeout.count()));
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
  // Wait for an existing connection to offer multiplexing rather than opening
  // a new one per request.
  curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  // A pooled connection idle this long is not reused: a load balancer may
  // have dropped it silently.
  curl_easy_setopt(easy, CURLOPT_MAXAGE_CONN, static_cast<long>(options_.max_idle.count()));
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  if (!options_.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, options_.ca_file.c_str());
}

void HttpLoop::Send(HttpRequest request, Completion done) {
  std::unique_ptr<Transfer> transfer;
  if (!idle_transfers_.empty()) {
    transfer = std::move(idle_transfers_.back());
    idle_transfers_.pop_back();
  } else {
    transfer = std::make_unique<Transfer>();
    transfer->easy = curl_easy_init();
    if (transfer->easy == nullptr) throw std::runtime_error("curl_easy_init failed");
  }
  transfer->request = std::move(request);
  transfer->response = HttpResponse{};
  transfer->done = std::move(done);
  transfer->max_response_bytes = options_.max_response_bytes;
  transfer->started = std::chrono::steady_clock::now();
  transfer->error_buffer[0] = '\0';
  if (transfer->headers != nullptr) curl_slist_free_all(transfer->headers);
  transfer->headers = nullptr;
  for (const std::string& header : transfer->request.headers) {
    transfer->headers = curl_slist_append(transfer->headers, header.c_str());
  }
  // Without this, curl waits for "100 Continue" before sending large bodies.
  transfer->headers = curl_slist_append(transfer->headers, "Expect:");
  Configure(*transfer);
  curl_multi_add_handle(AsMulti(multi_), transfer->easy);
  ++in_flight_;
  active_transfers_.insert(transfer.release());  // owned by the multi handle until Complete()
}

void HttpLoop::Complete(Transfer* transfer, int curl_code) {
  curl_multi_remove_handle(AsMulti(multi_), transfer->easy);
  --in_flight_;
  active_transfers_.erase(transfer);
  std::unique_ptr<Transfer> owner(transfer);
  HttpResponse& response = owner->response;
  response.elapsed = std::chrono::steady_clock::now() - owner->started;
  long version = 0;
  curl_easy_getinfo(owner->easy, CURLINFO_HTTP_VERSION, &version);
  response.http_version = version == CURL_HTTP_VERSION_2_0   ? "2"
                          : version == CURL_HTTP_VERSION_1_0 ? "1.0"
                                                             : "1.1";
  curl_easy_getinfo(owner->easy, CURLINFO_NUM_CONNECTS, &response.new_connections);
  if (response.new_connections > 0) {
    char* ip = nullptr;
    long port = 0;
    if (curl_easy_getinfo(owner->easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != nullptr &&
        ip[0] != '\0') {
      curl_easy_getinfo(owner->easy, CURLINFO_PRIMARY_PORT, &port);
      response.peer = std::string(ip) + ":" + std::to_string(port);
    }
  }
  if (curl_code == CURLE_OK) {
    curl_easy_getinfo(owner->easy, CURLINFO_RESPONSE_CODE, &response.status);
  } else {
    response.status = 0;
    response.timed_out = curl_code == CURLE_OPERATION_TIMEDOUT;
    response.tls_untrusted = curl_code == CURLE_PEER_FAILED_VERIFICATION ||
                             curl_code == CURLE_SSL_CACERT_BADFILE ||
                             curl_code == CURLE_SSL_PINNEDPUBKEYNOTMATCH;
    response.transport_error = owner->error_buffer[0] != '\0'
                                   ? std::string(owner->error_buffer)
                                   : curl_easy_strerror(static_cast<CURLcode>(curl_code));
    if (curl_code == CURLE_WRITE_ERROR) {
      response.transport_error =
          "response body over " + std::to_string(options_.max_response_bytes) + " bytes, abandoned";
    }
  }
  Completion done = std::move(owner->done);
  HttpResponse finished = std::move(response);
  owner->request = HttpRequest{};
  idle_transfers_.push_back(std::move(owner));
  done(std::move(finished));
}

void HttpLoop::Poll(std::chrono::milliseconds max_wait) {
  int running = 0;
  curl_multi_perform(AsMulti(multi_), &running);
  int queued = 0;
  bool completed_any = false;
  while (CURLMsg* message = curl_multi_info_read(AsMulti(multi_), &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    Transfer* transfer = nullptr;
    curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &transfer);
    Complete(transfer, message->data.result);
    completed_any = true;
  }
  // Completions usually start new requests: let the caller do that before
  // sleeping.
  if (completed_any) return;
  int descriptors = 0;
  curl_multi_poll(AsMulti(multi_), nullptr, 0, static_cast<int>(max_wait.count()), &descriptors);
}

void HttpLoop::CancelAll(const std::string& reason) {
  const std::vector<Transfer*> cancelled(active_transfers_.begin(), active_transfers_.end());
  for (Transfer* transfer : cancelled) {
    std::snprintf(transfer->error_buffer, sizeof(transfer->error_buffer), "%s", reason.c_str());
    Complete(transfer, CURLE_ABORTED_BY_CALLBACK);
  }
}

void HttpLoop::Wakeup() {
  curl_multi_wakeup(AsMulti(multi_));
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now) {
  if (value.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(value.front()))) {
    double seconds = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error != std::errc() || end != value.data() + value.size() || seconds < 0) {
      return std::nullopt;
    }
    return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000.0));
  }
  // HTTP-date, e.g. "Wed, 21 Oct 2015 07:28:00 GMT" (RFC 9110 IMF-fixdate).
  std::tm parts{};
  const std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const auto when = std::chrono::system_clock::from_time_t(timegm(&parts));
  const auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(when - now);
  return std::max(delay, std::chrono::milliseconds(0));
}

}  // namespace skyflow
