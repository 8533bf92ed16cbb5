// HttpServer's timing and delivery: delayed, dropped and reset answers,
// throttled reads, idle and header timeouts. A real server on 127.0.0.1,
// port 0, in this process, with a small handler whose answers the request
// path chooses, spoken to over raw sockets.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "emulator/http/http_server.h"
#include "tests/unit/emulator/scripted_handler.h"
#include "tests/unit/emulator/test_http_client.h"

namespace skyflow::emulator {
namespace {

using std::chrono::milliseconds;
using testing::GetRequest;
using testing::PostRequest;
using testing::ScriptedHandler;
using testing::Seen;
using testing::TestConnection;
using Clock = std::chrono::steady_clock;

// Sends "/ok" then `rest` on one connection, checks that "/ok" is answered,
// and tells how the connection then ended.
TestConnection::Ending EndingAfterAnOk(uint16_t port, const std::string& rest) {
  TestConnection connection(port);
  EXPECT_TRUE(connection.ok());
  EXPECT_TRUE(connection.Send(GetRequest("/ok") + rest));
  const auto first = connection.ReadResponse();
  EXPECT_TRUE(first);
  if (first) {
    EXPECT_EQ(first->body, R"({"path":"/ok"})");
  }
  return connection.ReadToEnd();
}

class DeliveryServer {
 public:
  // One worker by default: that one thread must serve other connections
  // while an answer is held proves that holding does not block.
  explicit DeliveryServer(HttpServerOptions options = {}, uint64_t read_rate = 0) {
    server_ = std::make_unique<HttpServer>(options, [this, read_rate](int) {
      return std::make_unique<ScriptedHandler>(&seen_, read_rate);
    });
    status_ = server_->Start();
  }

  const Status& status() const { return status_; }
  uint16_t port() const { return server_->port(); }
  Seen& seen() { return seen_; }
  HttpServer& server() { return *server_; }

  // Waits (bounded) until the server holds `count` connections.
  bool WaitForOpenConnections(size_t count, milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    while (server_->open_connections() != count) {
      if (Clock::now() > deadline) return false;
      std::this_thread::sleep_for(milliseconds(10));
    }
    return true;
  }

 private:
  Seen seen_;
  std::unique_ptr<HttpServer> server_;
  Status status_;
};

milliseconds Since(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

TEST(HttpServerDeliveryTest, DelayedAnswerArrivesLateWhileOtherConnectionsAreServed) {
  DeliveryServer server;
  ASSERT_TRUE(server.status().ok()) << server.status().ToString();
  TestConnection slow(server.port());
  TestConnection fast(server.port());
  ASSERT_TRUE(slow.ok() && fast.ok());

  const auto start = Clock::now();
  ASSERT_TRUE(slow.Send(GetRequest("/delay/600")));
  std::this_thread::sleep_for(milliseconds(50));  // the held answer is in place
  ASSERT_TRUE(fast.Send(GetRequest("/ok")));
  const auto fast_answer = fast.ReadResponse();
  ASSERT_TRUE(fast_answer);
  EXPECT_EQ(fast_answer->body, R"({"path":"/ok"})");
  EXPECT_LT(Since(start), milliseconds(500)) << "the other connection waited for the delay";

  const auto slow_answer = slow.ReadResponse();
  ASSERT_TRUE(slow_answer);
  EXPECT_GE(Since(start), milliseconds(600));
  EXPECT_EQ(slow_answer->status, 200);
  EXPECT_EQ(slow_answer->body, R"({"path":"/delay/600"})");
  EXPECT_FALSE(slow_answer->Header("x-request-id").empty());
}

TEST(HttpServerDeliveryTest, PipelinedRequestsWaitBehindADelayedAnswer) {
  DeliveryServer server;
  ASSERT_TRUE(server.status().ok());
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.ok());
  const auto start = Clock::now();
  ASSERT_TRUE(connection.Send(GetRequest("/delay/300") + GetRequest("/ok") + GetRequest("/ok")));
  const auto first = connection.ReadResponse();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, R"({"path":"/delay/300"})");
  EXPECT_GE(Since(start), milliseconds(300));
  for (int i = 0; i < 2; ++i) {
    const auto next = connection.ReadResponse();
    ASSERT_TRUE(next);
    EXPECT_EQ(next->body, R"({"path":"/ok"})");
  }
  EXPECT_EQ(server.seen().handled.load(), 3);
  // Still keep-alive afterwards.
  ASSERT_TRUE(connection.Send(GetRequest("/ok")));
  EXPECT_TRUE(connection.ReadResponse());
}

TEST(HttpServerDeliveryTest, DroppedAnswerIsEndOfStreamAfterTheHandlerRan) {
  DeliveryServer server;
  ASSERT_TRUE(server.status().ok());
  for (const char* path : {"/drop", "/drop/200"}) {
    TestConnection connection(server.port());
    ASSERT_TRUE(connection.ok());
    const int handled_before = server.seen().handled.load();
    const auto start = Clock::now();
    ASSERT_TRUE(connection.Send(GetRequest(path)));
    const auto ending = connection.ReadToEnd();
    EXPECT_TRUE(ending.closed) << path;
    EXPECT_FALSE(ending.reset) << path;
    EXPECT_EQ(ending.data, "") << path;
    EXPECT_EQ(server.seen().handled.load(), handled_before + 1) << path;
    if (std::string_view(path) == "/drop/200") {
      EXPECT_GE(Since(start), milliseconds(200));
    }
  }
}

TEST(HttpServerDeliveryTest, AnswersBeforeADropAreDeliveredAndNothingAfterItRuns) {
  DeliveryServer server;
  ASSERT_TRUE(server.status().ok());
  const auto ending = EndingAfterAnOk(server.port(), GetRequest("/drop/100") + GetRequest("/ok"));
  EXPECT_TRUE(ending.closed);
  EXPECT_EQ(ending.data, "");
  EXPECT_EQ(server.seen().handled.load(), 2) << "a request after the drop was handled";
}

TEST(HttpServerDeliveryTest, DropIsAFinEvenWithUnreadRequestsBehindIt) {
  DeliveryServer server;
  ASSERT_TRUE(server.status().ok());
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.ok());
  ASSERT_TRUE(connection.Send(GetRequest("/drop/100")));
  // Sent while the answer is held, so it is still unread in the kernel when
  // the connection is dropped: a plain close() would answer it with an RST.
  std::this_thread::sleep_for(milliseconds(30));
  ASSERT_TRUE(connection.Send(GetRequest("/ok")));
  const auto ending = connection.ReadToEnd();
  EXPECT_TRUE(ending.closed);
  EXPECT_FALSE(ending.reset);
  EXPECT_EQ(ending.data, "");
  EXPECT_EQ(server.seen().handled.load(), 1);
}

TEST(HttpServerDeliveryTest, AnswersBeforeAResetAreDelivered) {
  DeliveryServer server;
  ASSERT_TRUE(server.status().ok());
  const auto ending = EndingAfterAnOk(server.port(), GetRequest("/reset"));
  EXPECT_TRUE(ending.reset);
  EXPECT_EQ(ending.data, "");
}

TEST(HttpServerDeliveryTest, ARequestRefusedOnItsHeadIsResetBeforeItsBodyIsRead) {
  DeliveryServer server;
  ASSERT_TRUE(server.status().ok());
  // The client waits for "100 Continue" before sending its megabyte: it must
  // get a reset instead, and the handler must never see the request.
  const auto ending =
      EndingAfterAnOk(server.port(),
                      "POST /refuse HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n"
                      "Expect: 100-continue\r\n\r\n");
  EXPECT_TRUE(ending.reset);
  EXPECT_EQ(ending.data, "");
  EXPECT_EQ(server.seen().handled.load(), 1);
  EXPECT_EQ(server.seen().body_bytes.load(), 0u);
}

TEST(HttpServerDeliveryTest, ResetAnswerIsConnectionReset) {
  DeliveryServer server;
  ASSERT_TRUE(server.status().ok());
  for (const char* path : {"/reset", "/reset/150"}) {
    TestConnection connection(server.port());
    ASSERT_TRUE(connection.ok());
    const auto start = Clock::now();
    ASSERT_TRUE(connection.Send(GetRequest(path)));
    const auto ending = connection.ReadToEnd();
    EXPECT_TRUE(ending.reset) << path;
    EXPECT_EQ(ending.data, "") << path;
    if (std::string_view(path) == "/reset/150") {
      EXPECT_GE(Since(start), milliseconds(150));
    }
  }
  EXPECT_EQ(server.seen().handled.load(), 2);
  EXPECT_TRUE(server.WaitForOpenConnections(0, milliseconds(2000)));
}

TEST(HttpServerDeliveryTest, ClientThatGoesAwayDuringADelayIsCleanedUp) {
  DeliveryServer server;
  ASSERT_TRUE(server.status().ok());
  {
    // An aborting client (RST) is let go at once, long before the delay.
    TestConnection connection(server.port());
    ASSERT_TRUE(connection.Send(GetRequest("/delay/20000")));
    ASSERT_TRUE(server.WaitForOpenConnections(1, milliseconds(2000)));
    std::this_thread::sleep_for(milliseconds(50));
    connection.Abort();
    EXPECT_TRUE(server.WaitForOpenConnections(0, milliseconds(2000)));
  }
  {
    // A client that closes (FIN) may only have half-closed: it is answered
    // when the delay ends, and then the connection is closed.
    TestConnection connection(server.port());
    ASSERT_TRUE(connection.Send(GetRequest("/delay/300")));
    ASSERT_TRUE(server.WaitForOpenConnections(1, milliseconds(2000)));
  }
  EXPECT_TRUE(server.WaitForOpenConnections(0, milliseconds(3000)));
  // The worker is still serving.
  TestConnection after(server.port());
  ASSERT_TRUE(after.Send(GetRequest("/ok")));
  EXPECT_TRUE(after.ReadResponse());
}

TEST(HttpServerDeliveryTest, ThrottledReadsTakeTheTimeTheRateImplies) {
  constexpr uint64_t kRate = 128 * 1024;  // bytes per second
  DeliveryServer server({}, kRate);
  ASSERT_TRUE(server.status().ok());
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.ok());
  const std::string body(256 * 1024, 'x');
  const auto start = Clock::now();
  // The sender finishes once the kernel buffers take the rest; the answer
  // comes only when the server has read the whole body at its pace.
  std::thread sender([&] { connection.Send(PostRequest("/ok", body, "")); });
  const auto answer = connection.ReadResponse();
  sender.join();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(server.seen().body_bytes.load(), body.size());
  const auto took = Since(start);
  EXPECT_GE(took, milliseconds(1700)) << "256 KiB at 128 KiB/s";
  EXPECT_LT(took, milliseconds(4000));
}

TEST(HttpServerDeliveryTest, IdleConnectionIsClosedAfterTheIdleTimeout) {
  HttpServerOptions options;
  options.idle_timeout = milliseconds(400);
  DeliveryServer server(options);
  ASSERT_TRUE(server.status().ok());
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.ok());
  // Activity within the timeout keeps the connection.
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(milliseconds(200));
    ASSERT_TRUE(connection.Send(GetRequest("/ok")));
    ASSERT_TRUE(connection.ReadResponse()) << "request " << i;
  }
  const auto start = Clock::now();
  const auto ending = connection.ReadToEnd();
  EXPECT_TRUE(ending.closed);
  EXPECT_EQ(ending.data, "");
  EXPECT_GE(Since(start), milliseconds(300));
  EXPECT_LT(Since(start), milliseconds(2000));
  EXPECT_TRUE(server.WaitForOpenConnections(0, milliseconds(1000)));
}

TEST(HttpServerDeliveryTest, HeldAnswerIsNotCutByTheIdleTimeout) {
  HttpServerOptions options;
  options.idle_timeout = milliseconds(200);
  DeliveryServer server(options);
  ASSERT_TRUE(server.status().ok());
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.Send(GetRequest("/delay/600")));
  const auto answer = connection.ReadResponse();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->body, R"({"path":"/delay/600"})");
}

TEST(HttpServerDeliveryTest, SlowRequestHeadGets408) {
  HttpServerOptions options;
  options.idle_timeout = milliseconds(5000);
  options.header_timeout = milliseconds(400);
  DeliveryServer server(options);
  ASSERT_TRUE(server.status().ok());
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.ok());
  // A slow-header client: a byte every 50 ms keeps the connection from
  // being idle, but the head never ends.
  const std::string head = "GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
  ASSERT_TRUE(connection.Send(head));
  const auto start = Clock::now();
  for (int i = 0; i < 10; ++i) {
    std::this_thread::sleep_for(milliseconds(50));
    connection.Send("a");
  }
  const auto answer = connection.ReadResponse();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 408);
  EXPECT_EQ(answer->Header("connection"), "close");
  EXPECT_NE(answer->body.find("did not arrive within 0.4 s"), std::string::npos) << answer->body;
  EXPECT_LT(Since(start), milliseconds(2000));
  EXPECT_EQ(server.seen().handled.load(), 0);
  EXPECT_TRUE(connection.ServerClosed());
}

}  // namespace
}  // namespace skyflow::emulator
