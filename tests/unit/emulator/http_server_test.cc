// The emulator end to end: a real HttpServer on 127.0.0.1, port 0, in this
// process, spoken to over raw sockets.
#include "emulator/http/http_server.h"

#include <gtest/gtest.h>

#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "emulator/vault_emulator.h"
#include "tests/unit/emulator/test_http_client.h"
#include "util/pair_digest.h"

namespace skyflow::emulator {
namespace {

using testing::GetRequest;
using testing::PostRequest;
using testing::TestConnection;
using testing::TestResponse;

constexpr std::string_view kToken = "good-token";
constexpr std::string_view kInsertPath = "/v1/vaults/vault1/ssn";

// A running emulator; the config and limits are the test's to choose.
class RunningEmulator {
 public:
  explicit RunningEmulator(VaultEmulatorConfig config, uint64_t max_body_bytes = 64 << 20)
      : emulator_(std::move(config)) {
    HttpServerOptions options;
    options.threads = 2;
    options.limits.max_body_bytes = max_body_bytes;
    server_ = std::make_unique<HttpServer>(options, emulator_.HandlerFactory());
    status_ = server_->Start();
  }

  const Status& status() const { return status_; }
  uint16_t port() const { return server_->port(); }
  VaultEmulator& emulator() { return emulator_; }

 private:
  VaultEmulator emulator_;
  std::unique_ptr<HttpServer> server_;
  Status status_;
};

VaultEmulatorConfig WithToken() {
  VaultEmulatorConfig config;
  config.bearer_tokens = {std::string(kToken)};
  config.seed = 5;
  return config;
}

std::string OneRecord(const std::string& value, const std::string& token) {
  return R"({"records":[{"fields":{"ssn":")" + value + R"("},"tokens":{"ssn":")" + token +
         R"("}}],"byot":"ENABLE","tokenization":true})";
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.status().ok()) << server_.status().ToString(); }

  RunningEmulator server_{WithToken()};
};

TEST_F(HttpServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  TestConnection connection(server_.port());
  ASSERT_TRUE(connection.ok());
  ASSERT_TRUE(connection.Send(PostRequest(kInsertPath, OneRecord("1", "t1"), kToken)));
  const auto insert = connection.ReadResponse();
  ASSERT_TRUE(insert);
  EXPECT_EQ(insert->status, 200) << insert->body;
  EXPECT_EQ(insert->Header("content-type"), "application/json");
  EXPECT_EQ(insert->Header("connection"), "keep-alive");
  EXPECT_NE(insert->body.find(R"("tokens":{"ssn":"t1"})"), std::string::npos) << insert->body;

  ASSERT_TRUE(connection.Send(GetRequest("/emulator/v1/stats")));
  const auto stats = connection.ReadResponse();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200);
  PairDigest digest;
  digest.Add("1", "t1");
  EXPECT_NE(stats->body.find(R"("vault1/ssn":{"records":1,"digest":")" + digest.Hex() + "\""),
            std::string::npos)
      << stats->body;

  const std::regex uuid_shape("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  EXPECT_TRUE(std::regex_match(insert->Header("x-request-id"), uuid_shape));
  EXPECT_TRUE(std::regex_match(stats->Header("x-request-id"), uuid_shape));
  EXPECT_NE(insert->Header("x-request-id"), stats->Header("x-request-id"));
}

TEST_F(HttpServerTest, AnswersPipelinedRequestsInOrder) {
  TestConnection connection(server_.port());
  ASSERT_TRUE(connection.ok());
  ASSERT_TRUE(connection.Send(PostRequest(kInsertPath, OneRecord("1", "a"), kToken) +
                              PostRequest(kInsertPath, OneRecord("2", "a"), kToken) +
                              GetRequest("/nowhere")));
  const auto first = connection.ReadResponse();
  const auto second = connection.ReadResponse();
  const auto third = connection.ReadResponse();
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(second->status, 409) << "same token again";
  EXPECT_EQ(third->status, 404);
  EXPECT_NE(third->body.find(R"("grpc_code":5)"), std::string::npos) << third->body;
}

TEST_F(HttpServerTest, WrongOrMissingTokenGets401) {
  TestConnection connection(server_.port());
  ASSERT_TRUE(connection.ok());
  ASSERT_TRUE(connection.Send(PostRequest(kInsertPath, OneRecord("1", "t"), "bad-secret")));
  const auto wrong = connection.ReadResponse();
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_NE(wrong->body.find(R"("grpc_code":16)"), std::string::npos) << wrong->body;
  EXPECT_NE(wrong->body.find(R"("http_status":"Unauthorized")"), std::string::npos);
  EXPECT_NE(wrong->body.find("Invalid bearer token"), std::string::npos);
  EXPECT_EQ(wrong->body.find("bad-secret"), std::string::npos) << "never echo the token";

  ASSERT_TRUE(connection.Send(PostRequest(kInsertPath, OneRecord("1", "t"), "")));
  const auto missing = connection.ReadResponse();
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 401);
  EXPECT_TRUE(server_.emulator().store().Stats().empty());
}

TEST(HttpServerFaultTest, Fault429WithRetryAfterStoresNothing) {
  VaultEmulatorConfig config = WithToken();
  config.faults.probability_429 = 1;
  config.faults.retry_after_seconds = 3;
  RunningEmulator server(config);
  ASSERT_TRUE(server.status().ok());
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.ok());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(connection.Send(PostRequest(kInsertPath, OneRecord("1", "t"), kToken)));
    const auto response = connection.ReadResponse();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 429);
    EXPECT_EQ(response->Header("retry-after"), "3");
    EXPECT_NE(response->body.find(R"("grpc_code":8)"), std::string::npos) << response->body;
  }
  EXPECT_TRUE(server.emulator().store().Stats().empty());
  // Admin endpoints are never faulted.
  ASSERT_TRUE(connection.Send(GetRequest("/emulator/v1/stats")));
  const auto stats = connection.ReadResponse();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200);
  EXPECT_NE(stats->body.find(R"("by_status":{"429":3})"), std::string::npos) << stats->body;
}

TEST(HttpServerFaultTest, RetryAfterZeroOmitsTheHeader) {
  VaultEmulatorConfig config = WithToken();
  config.faults.probability_503 = 1;
  config.faults.retry_after_seconds = 0;
  RunningEmulator server(config);
  ASSERT_TRUE(server.status().ok());
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.Send(PostRequest(kInsertPath, OneRecord("1", "t"), kToken)));
  const auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(response->headers.count("retry-after"), 0u);
}

TEST(HttpServerFaultTest, AFaultDrawnUnderAPlanSinceRemovedDoesNotApply) {
  VaultEmulatorConfig config = WithToken();
  config.faults.probability_503 = 1;
  RunningEmulator server(config);
  ASSERT_TRUE(server.status().ok());
  TestConnection connection(server.port());
  // The head is drawn (503) under the outage; "100 Continue" says it was.
  const std::string request =
      PostRequest(kInsertPath, OneRecord("1", "t"), kToken, "Expect: 100-continue\r\n");
  const size_t body_start = request.find("\r\n\r\n") + 4;
  ASSERT_TRUE(connection.Send(request.substr(0, body_start)));
  const auto proceed = connection.ReadResponse();
  ASSERT_TRUE(proceed);
  ASSERT_EQ(proceed->status, 100);
  // The outage ends before the body arrives: the request is served.
  server.emulator().faults().Replace(FaultPlan{});
  ASSERT_TRUE(connection.Send(request.substr(body_start)));
  const auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200) << response->body;
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  TestConnection connection(server_.port());
  ASSERT_TRUE(connection.Send(
      PostRequest(kInsertPath, OneRecord("1", "t"), kToken, "Connection: close\r\n")));
  const auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->Header("connection"), "close");
  EXPECT_TRUE(connection.ServerClosed());
}

TEST_F(HttpServerTest, ChunkedBodyAfter100Continue) {
  TestConnection connection(server_.port());
  ASSERT_TRUE(connection.Send(
      "POST /v1/vaults/vault1/ssn HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good-token\r\n"
      "Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const auto interim = connection.ReadResponse();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  const std::string body = OneRecord("42", "tok-42");
  const std::string half1 = body.substr(0, 10);
  const std::string half2 = body.substr(10);
  char size1[16];
  char size2[16];
  std::snprintf(size1, sizeof(size1), "%zx", half1.size());
  std::snprintf(size2, sizeof(size2), "%zx", half2.size());
  ASSERT_TRUE(connection.Send(std::string(size1) + "\r\n" + half1 + "\r\n" + size2 + "\r\n" +
                              half2 + "\r\n0\r\n\r\n"));
  const auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200) << response->body;
  EXPECT_TRUE(server_.emulator().store().FindByToken("vault1", "ssn", "ssn", "tok-42"));
}

TEST_F(HttpServerTest, RequestSplitAcrossManyWritesIsReassembled) {
  TestConnection connection(server_.port());
  const std::string request = PostRequest(kInsertPath, OneRecord("7", "t7"), kToken);
  for (size_t offset = 0; offset < request.size(); offset += 7) {
    ASSERT_TRUE(connection.Send(request.substr(offset, 7)));
  }
  const auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200) << response->body;
}

TEST(HttpServerLimitTest, OversizedBodyGets400NamingTheLimitAndTheConnectionCloses) {
  RunningEmulator server(WithToken(), /*max_body_bytes=*/1024);
  ASSERT_TRUE(server.status().ok());
  TestConnection connection(server.port());
  ASSERT_TRUE(
      connection.Send("POST /v1/vaults/vault1/ssn HTTP/1.1\r\nContent-Length: 5000\r\n\r\n" +
                      std::string(100, 'x')));
  const auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_NE(response->body.find("1024"), std::string::npos) << response->body;
  EXPECT_EQ(response->Header("connection"), "close");
  connection.ShutdownWrite();
  EXPECT_TRUE(connection.ServerClosed());
}

TEST_F(HttpServerTest, MalformedRequestGets400InTheErrorShape) {
  TestConnection connection(server_.port());
  ASSERT_TRUE(connection.Send("NOT-HTTP\r\n\r\n"));
  const auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_NE(response->body.find(R"({"error":{"grpc_code":3,"http_code":400)"), std::string::npos)
      << response->body;
  EXPECT_FALSE(response->Header("x-request-id").empty());
}

TEST_F(HttpServerTest, WrongMethodGets405WithAllow) {
  TestConnection connection(server_.port());
  // The per-table path takes GET (read) too; the reset endpoint takes POST only.
  ASSERT_TRUE(connection.Send(GetRequest("/emulator/v1/reset")));
  const auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 405);
  EXPECT_EQ(response->Header("allow"), "POST");
}

TEST_F(HttpServerTest, ResetDropsTablesAndCounters) {
  TestConnection connection(server_.port());
  ASSERT_TRUE(connection.Send(PostRequest(kInsertPath, OneRecord("1", "t"), kToken)));
  ASSERT_TRUE(connection.ReadResponse());
  ASSERT_TRUE(connection.Send(PostRequest("/emulator/v1/reset", "", "")));
  const auto reset = connection.ReadResponse();
  ASSERT_TRUE(reset);
  EXPECT_EQ(reset->status, 200);
  EXPECT_EQ(reset->body, R"({"reset":true})");
  ASSERT_TRUE(connection.Send(GetRequest("/emulator/v1/stats")));
  const auto stats = connection.ReadResponse();
  ASSERT_TRUE(stats);
  // Zeroed, the reset's own answer included.
  EXPECT_EQ(stats->body.substr(0, stats->body.find(R"(,"faults")")),
            R"({"tables":{},"requests":{"total":0,"by_status":{},"unanswered":0})");
}

// Several clients at once, on both workers: every record arrives once and
// the digest agrees with what was sent.
TEST_F(HttpServerTest, ConcurrentClientsStoreEveryRecordOnce) {
  constexpr int kClients = 6;
  constexpr int kRequestsPerClient = 40;
  std::vector<std::thread> clients;
  std::vector<int> failures(kClients, 0);
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      TestConnection connection(server_.port());
      for (int r = 0; r < kRequestsPerClient; ++r) {
        const std::string id = std::to_string(c) + "-" + std::to_string(r);
        if (!connection.Send(PostRequest(kInsertPath, OneRecord("v" + id, "t" + id), kToken))) {
          ++failures[c];
          return;
        }
        const auto response = connection.ReadResponse();
        if (!response || response->status != 200) ++failures[c];
      }
    });
  }
  for (auto& client : clients)
    client.join();
  PairDigest expected;
  for (int c = 0; c < kClients; ++c) {
    EXPECT_EQ(failures[c], 0) << "client " << c;
    for (int r = 0; r < kRequestsPerClient; ++r) {
      const std::string id = std::to_string(c) + "-" + std::to_string(r);
      expected.Add("v" + id, "t" + id);
    }
  }
  const auto stats = server_.emulator().store().Stats();
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].stats.records, static_cast<uint64_t>(kClients * kRequestsPerClient));
  EXPECT_EQ(stats[0].stats.digest, expected);
}

}  // namespace
}  // namespace skyflow::emulator
