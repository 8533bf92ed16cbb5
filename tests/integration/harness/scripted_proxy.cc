#include "harness/scripted_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "harness/http_request.h"

namespace skyflow::testing {
namespace {

bool SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// Reads one request (head and Content-Length body) from `fd`, keeping what
// follows it in `buffer`. False when the connection ends first.
bool ReadRequest(int fd, std::string* buffer, ProxiedRequest* request) {
  char chunk[65536];
  size_t head_end = std::string::npos;
  size_t body_length = 0;
  for (int reads = 0; reads < 100000; ++reads) {
    if (head_end == std::string::npos) {
      head_end = buffer->find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const std::string head = buffer->substr(0, head_end);
        const size_t space = head.find(' ');
        const size_t second = head.find(' ', space + 1);
        request->method = head.substr(0, space);
        request->target = head.substr(space + 1, second - space - 1);
        for (size_t at = head.find("\r\n"); at != std::string::npos;
             at = head.find("\r\n", at + 2)) {
          const std::string line = head.substr(at + 2, head.find("\r\n", at + 2) - at - 2);
          if (strncasecmp(line.c_str(), "content-length:", 15) == 0) {
            body_length = std::stoul(line.substr(15));
          }
        }
      }
    }
    if (head_end != std::string::npos && buffer->size() >= head_end + 4 + body_length) {
      request->body = buffer->substr(head_end + 4, body_length);
      buffer->erase(0, head_end + 4 + body_length);
      return true;
    }
    const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer->append(chunk, static_cast<size_t>(n));
  }
  return false;
}

std::string Head(long status, size_t content_length, const std::vector<std::string>& headers,
                 const std::string& content_type) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " Scripted\r\n";
  head += "Content-Type: " + content_type + "\r\n";
  head += "Content-Length: " + std::to_string(content_length) + "\r\n";
  for (const std::string& header : headers)
    head += header + "\r\n";
  return head + "\r\n";
}

}  // namespace

ScriptedProxy::ScriptedProxy(std::string upstream_url, std::string bearer_token, Script script)
    : upstream_url_(std::move(upstream_url)),
      bearer_token_(std::move(bearer_token)),
      script_(std::move(script)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  ::listen(listen_fd_, 64);
  socklen_t length = sizeof(address);
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

ScriptedProxy::~ScriptedProxy() {
  stopping_ = true;
  acceptor_.join();
  ::close(listen_fd_);
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    for (int fd : connection_fds_)
      ::shutdown(fd, SHUT_RDWR);
    threads.swap(threads_);
  }
  for (std::thread& thread : threads)
    thread.join();
}

void ScriptedProxy::AcceptLoop() {
  while (!stopping_) {
    pollfd ready{listen_fd_, POLLIN, 0};
    if (::poll(&ready, 1, 50) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard lock(mutex_);
    connection_fds_.push_back(fd);
    threads_.emplace_back([this, fd] { Serve(fd); });
  }
}

ProxyReply ScriptedProxy::Decide(ProxiedRequest* request) {
  std::lock_guard lock(mutex_);
  request->number = ++requests_;
  return script_(*request);
}

void ScriptedProxy::Serve(int fd) {
  std::string buffer;
  ProxiedRequest request;
  while (!stopping_ && ReadRequest(fd, &buffer, &request)) {
    const ProxyReply reply = Decide(&request);
    if (reply.kind == ProxyReply::Kind::kTrickle) {
      SendAll(fd, Head(200, 1000000, reply.headers, "application/json") + "{");
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (!stopping_ && std::chrono::steady_clock::now() < deadline && SendAll(fd, " ")) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      break;
    }
    std::string response;
    if (reply.kind == ProxyReply::Kind::kAnswer) {
      response = Head(reply.status, reply.body.size(), reply.headers, "text/html") + reply.body;
    } else {
      const HttpAnswer upstream =
          HttpCall(request.method, upstream_url_ + request.target, request.body, bearer_token_);
      if (reply.kind == ProxyReply::Kind::kForward) {
        response =
            Head(upstream.status, upstream.body.size(), reply.headers,
                 upstream.content_type.empty() ? "application/json" : upstream.content_type) +
            upstream.body;
      } else {
        response =
            Head(reply.status, reply.body.size(), reply.headers, "application/json") + reply.body;
      }
    }
    if (!SendAll(fd, response)) break;
  }
  std::lock_guard lock(mutex_);
  std::erase(connection_fds_, fd);
  ::close(fd);
}

}  // namespace skyflow::testing
