// Test doubles for the SQL API client: a real HTTP server on 127.0.0.1
// (the emulator's HttpServer, any free port) whose answers each test
// scripts, a record of every request it received, gzip encoding for bodies,
// and credentials fakes. The script and the record are shared by the
// server's workers and the test thread, and locked.
#pragma once

#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/http/http_handler.h"
#include "emulator/http/http_server.h"
#include "snowflake/sql_api_credentials.h"

namespace skyflow::snowflake::testing {

// One request as the server saw it.
struct SeenRequest {
  std::string method;
  std::string path;
  std::string query;
  std::string body;
  std::string authorization;
  std::string accept_encoding;
  std::string user_agent;
  std::string content_type;
  std::string accept;
  std::string token_type;
  std::chrono::steady_clock::time_point arrived;
};

// The value of `name` in a query string ("a=1&b=2"), or empty.
inline std::string QueryValue(std::string_view query, std::string_view name) {
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(start, end - start);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    start = end + 1;
  }
  return {};
}

inline std::string Gzip(std::string_view text) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&stream, text.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

// The SQL API as a test scripts it: `respond` answers every request (it
// runs on a server worker thread; it may set a delay or a dropped delivery).
class FakeSqlApi {
 public:
  using Responder = std::function<void(const SeenRequest&, emulator::HttpResponse*)>;

  explicit FakeSqlApi(Responder respond, int threads = 2) : respond_(std::move(respond)) {
    emulator::HttpServerOptions options;
    options.threads = threads;
    server_ = std::make_unique<emulator::HttpServer>(
        options, [this](int) { return std::make_unique<Handler>(this); });
    const Status started = server_->Start();
    EXPECT_TRUE(started.ok()) << started.ToString();
  }
  ~FakeSqlApi() { server_->Stop(); }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  std::vector<SeenRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  size_t request_count() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }

 private:
  class Handler : public emulator::HttpHandler {
   public:
    explicit Handler(FakeSqlApi* api) : api_(api) {}
    void Handle(const emulator::HttpRequest& request, emulator::HttpResponse* response) override {
      SeenRequest seen;
      seen.method = std::string(request.method);
      seen.path = std::string(request.path);
      seen.query = std::string(request.query);
      seen.body = std::string(request.body);
      seen.authorization = std::string(request.Header("Authorization"));
      seen.accept_encoding = std::string(request.Header("Accept-Encoding"));
      seen.user_agent = std::string(request.Header("User-Agent"));
      seen.content_type = std::string(request.Header("Content-Type"));
      seen.accept = std::string(request.Header("Accept"));
      seen.token_type = std::string(request.Header("X-Snowflake-Authorization-Token-Type"));
      seen.arrived = std::chrono::steady_clock::now();
      {
        std::lock_guard lock(api_->mutex_);
        api_->requests_.push_back(seen);
      }
      api_->respond_(seen, response);
    }
    void HandleProtocolError(int status, std::string_view message, std::string_view,
                             emulator::HttpResponse* response) override {
      response->status = status;
      response->body = R"({"message":")" + std::string(message) + R"("})";
    }

   private:
    FakeSqlApi* api_;
  };

  Responder respond_;
  mutable std::mutex mutex_;
  std::vector<SeenRequest> requests_;
  std::unique_ptr<emulator::HttpServer> server_;
};

// Credentials that either renew after a 401 (a JWT re-signed) or cannot (a
// PAT).
class FakeCredentials : public SqlApiCredentials {
 public:
  explicit FakeCredentials(bool renews) : renews_(renews) {}

  Result<std::vector<std::string>> Headers() override {
    std::lock_guard lock(mutex_);
    return std::vector<std::string>{"Authorization: Bearer " + token_,
                                    "X-Snowflake-Authorization-Token-Type: KEYPAIR_JWT"};
  }
  bool RenewAfterRejection() override {
    std::lock_guard lock(mutex_);
    renewals_.fetch_add(1);
    if (!renews_) return false;
    token_ = "renewed-jwt-secret";
    return true;
  }
  std::string RejectionAdvice() const override {
    return "the user LOADER must have the public key SHA256:FAKEFP registered";
  }
  std::vector<std::string> Secrets() const override {
    std::lock_guard lock(mutex_);
    return {token_};
  }

  int renewals() const { return renewals_.load(); }

 private:
  const bool renews_;
  mutable std::mutex mutex_;
  std::string token_ = "first-jwt-secret";
  std::atomic<int> renewals_{0};
};

}  // namespace skyflow::snowflake::testing
