#include "report/metrics_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

namespace skyflow {
namespace {

using std::chrono::milliseconds;
using SteadyTime = std::chrono::steady_clock;

constexpr char kPage[] = "# TYPE skyflow_loader_info gauge\nskyflow_loader_info{version=\"t\"} 1\n";

int PortOf(const std::string& address) {
  return std::atoi(address.substr(address.rfind(':') + 1).c_str());
}

// A plain blocking TCP client on 127.0.0.1, with a receive timeout.
class Client {
 public:
  explicit Client(int port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  }
  ~Client() { ::close(fd_); }

  bool connected() const { return connected_; }
  bool Send(const std::string& data) {
    return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }
  // Everything until the server closes (at most 5 s of silence).
  std::string ReadAll() {
    std::string received;
    char buffer[4096];
    for (int reads = 0; reads < 10000; ++reads) {
      const ssize_t count = ::recv(fd_, buffer, sizeof(buffer), 0);
      if (count <= 0) break;
      received.append(buffer, static_cast<size_t>(count));
    }
    return received;
  }

 private:
  int fd_;
  bool connected_ = false;
};

std::string Exchange(int port, const std::string& request) {
  Client client(port);
  EXPECT_TRUE(client.connected());
  EXPECT_TRUE(client.Send(request));
  return client.ReadAll();
}

std::unique_ptr<MetricsServer> StartServer(MetricsServerOptions options = {},
                                           std::atomic<int>* renders = nullptr) {
  Result<std::unique_ptr<MetricsServer>> server = MetricsServer::Start(
      "127.0.0.1:0",
      [renders] {
        if (renders != nullptr) ++*renders;
        return std::string(kPage);
      },
      options);
  EXPECT_TRUE(server.ok()) << server.status().message();
  return server.ok() ? std::move(server).value() : nullptr;
}

TEST(MetricsServerTest, ServesThePageAtSlashMetricsOnTheChosenPort) {
  std::unique_ptr<MetricsServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->address().rfind("127.0.0.1:", 0), 0u) << server->address();
  const int port = PortOf(server->address());
  EXPECT_GT(port, 0);
  EXPECT_EQ(server->url(), "http://" + server->address() + "/metrics");

  const std::string answer =
      Exchange(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
  EXPECT_NE(answer.find("\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"),
            std::string::npos)
      << answer;
  EXPECT_NE(answer.find("\r\nContent-Length: " + std::to_string(sizeof(kPage) - 1) + "\r\n"),
            std::string::npos)
      << answer;
  ASSERT_NE(answer.find("\r\n\r\n"), std::string::npos);
  EXPECT_EQ(answer.substr(answer.find("\r\n\r\n") + 4), kPage);

  // A query string is ignored; HEAD gets the head alone.
  EXPECT_EQ(Exchange(port, "GET /metrics?x=1 HTTP/1.0\r\n\r\n").rfind("HTTP/1.1 200 OK", 0), 0u);
  const std::string head = Exchange(port, "HEAD /metrics HTTP/1.1\r\n\r\n");
  EXPECT_EQ(head.rfind("HTTP/1.1 200 OK", 0), 0u);
  EXPECT_EQ(head.substr(head.find("\r\n\r\n") + 4), "");
}

TEST(MetricsServerTest, OtherPathsMethodsAndNonHttpAreRefused) {
  std::unique_ptr<MetricsServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  const int port = PortOf(server->address());
  EXPECT_EQ(Exchange(port, "GET / HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u);
  EXPECT_EQ(Exchange(port, "GET /metricsx HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 404", 0), 0u);
  const std::string post = Exchange(port, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(post.rfind("HTTP/1.1 405", 0), 0u) << post;
  EXPECT_NE(post.find("\r\nAllow: GET, HEAD\r\n"), std::string::npos);
  EXPECT_EQ(Exchange(port, "hello there\r\n\r\n").rfind("HTTP/1.1 400", 0), 0u);
}

TEST(MetricsServerTest, AnOversizedHeadIsRefused) {
  MetricsServerOptions options;
  options.max_head_bytes = 1024;
  std::unique_ptr<MetricsServer> server = StartServer(options);
  ASSERT_NE(server, nullptr);
  const std::string answer =
      Exchange(PortOf(server->address()), "GET /metrics HTTP/1.1\r\nX: " + std::string(4096, 'a'));
  EXPECT_EQ(answer.rfind("HTTP/1.1 431", 0), 0u) << answer.substr(0, 100);
}

TEST(MetricsServerTest, ASlowClientIsDroppedAfterTheTimeoutAndOthersAreServedThen) {
  MetricsServerOptions options;
  options.request_timeout = milliseconds(300);
  std::atomic<int> renders{0};
  std::unique_ptr<MetricsServer> server = StartServer(options, &renders);
  ASSERT_NE(server, nullptr);
  const int port = PortOf(server->address());
  Client slow(port);
  ASSERT_TRUE(slow.connected());
  ASSERT_TRUE(slow.Send("GET /met"));
  const auto started = SteadyTime::now();
  // Served once the slow client's time is up.
  const std::string answer = Exchange(port, "GET /metrics HTTP/1.1\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_LT(SteadyTime::now() - started, milliseconds(3000));
  // The slow client got nothing: its connection was closed.
  EXPECT_EQ(slow.ReadAll(), "");
  EXPECT_EQ(renders.load(), 1);
}

TEST(MetricsServerTest, StopIsNotHeldUpByAClientThatNeverFinishesItsRequest) {
  MetricsServerOptions options;
  options.request_timeout = milliseconds(60000);
  std::unique_ptr<MetricsServer> server = StartServer(options);
  ASSERT_NE(server, nullptr);
  Client slow(PortOf(server->address()));
  ASSERT_TRUE(slow.connected());
  ASSERT_TRUE(slow.Send("GET /metrics HTTP/1.1\r\nHost: x\r\n"));
  // Let the server take the connection and wait for the rest of the head.
  std::this_thread::sleep_for(milliseconds(100));
  const auto started = SteadyTime::now();
  server->Stop();
  EXPECT_LT(SteadyTime::now() - started, milliseconds(2000));
  server->Stop();  // idempotent
  EXPECT_EQ(slow.ReadAll(), "");
}

TEST(MetricsServerTest, FetchMetricsPageReadsTheBody) {
  std::unique_ptr<MetricsServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  Result<std::string> page = FetchMetricsPage(server->address(), milliseconds(5000));
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(*page, kPage);
  const std::string address = server->address();
  server->Stop();
  Result<std::string> gone = FetchMetricsPage(address, milliseconds(2000));
  EXPECT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().code(), StatusCode::kUnavailable);
}

TEST(MetricsServerTest, AddressesThatCannotBeListenedOn) {
  Result<std::unique_ptr<MetricsServer>> no_port =
      MetricsServer::Start("127.0.0.1", [] { return std::string(); });
  ASSERT_FALSE(no_port.ok());
  EXPECT_EQ(no_port.status().code(), StatusCode::kInvalidArgument);

  std::unique_ptr<MetricsServer> first = StartServer();
  ASSERT_NE(first, nullptr);
  Result<std::unique_ptr<MetricsServer>> taken =
      MetricsServer::Start(first->address(), [] { return std::string(); });
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(taken.status().message().find(first->address()), std::string::npos)
      << taken.status().message();
}

}  // namespace
}  // namespace skyflow
