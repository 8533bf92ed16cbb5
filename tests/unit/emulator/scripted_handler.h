// ScriptedHandler: a small HttpHandler for the server's own tests, whose
// answer the request path chooses, so that a test exercises the server's
// delivery (delays, drops, resets, refusals on the head, throttled reads)
// without the vault API in between.
#pragma once

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "emulator/http/http_handler.h"

namespace skyflow::emulator::testing {

// What the handlers of one server saw; shared by every worker.
struct Seen {
  std::atomic<int> handled{0};
  std::atomic<size_t> body_bytes{0};
};

// Paths: /ok, /delay/MS, /drop, /drop/MS, /reset, /reset/MS, and
// /refuse (refused on its head: reset before the body is read). The body
// echoes the path and the ticket OnHead gave (the path's length).
class ScriptedHandler : public HttpHandler {
 public:
  ScriptedHandler(Seen* seen, uint64_t read_rate) : seen_(seen), read_rate_(read_rate) {}

  bool OnHead(std::string_view /*method*/, std::string_view path, uint64_t* ticket) override {
    *ticket = path.size();
    return !path.starts_with("/refuse");
  }

  void Handle(const HttpRequest& request, HttpResponse* response) override {
    seen_->handled.fetch_add(1);
    seen_->body_bytes.fetch_add(request.body.size());
    std::string_view path = request.path;
    response->body = R"({"path":")" + std::string(path) + R"("})";
    if (request.ticket != path.size()) response->body += " wrong ticket";
    if (path.starts_with("/delay/")) {
      response->delay = Milliseconds(path.substr(7));
    } else if (path.starts_with("/drop")) {
      response->delivery = HttpResponse::Delivery::kDropConnection;
      if (path.starts_with("/drop/")) response->delay = Milliseconds(path.substr(6));
    } else if (path.starts_with("/reset")) {
      response->delivery = HttpResponse::Delivery::kResetConnection;
      if (path.starts_with("/reset/")) response->delay = Milliseconds(path.substr(7));
    }
  }

  void HandleProtocolError(int status, std::string_view message, std::string_view,
                           HttpResponse* response) override {
    response->status = status;
    response->body = R"({"error":")" + std::string(message) + R"("})";
  }

  uint64_t ReadRateLimit() override { return read_rate_; }

 private:
  static std::chrono::milliseconds Milliseconds(std::string_view text) {
    int value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return std::chrono::milliseconds(value);
  }

  Seen* seen_;
  uint64_t read_rate_;
};

}  // namespace skyflow::emulator::testing
