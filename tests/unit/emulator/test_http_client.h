// A minimal blocking HTTP/1.1 client over a raw loopback socket, for the
// emulator's server tests (libcurl is not linked into the unit tests, and
// raw bytes let the tests pipeline, split and malform requests at will).
// Every read and write has a 5 s timeout, every loop a bound.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace skyflow::emulator::testing {

struct TestResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string Header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class TestConnection {
 public:
  explicit TestConnection(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~TestConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  TestConnection(const TestConnection&) = delete;
  TestConnection& operator=(const TestConnection&) = delete;

  bool ok() const { return fd_ >= 0; }

  bool Send(std::string_view bytes) {
    size_t sent = 0;
    for (int attempt = 0; attempt < 10000 && sent < bytes.size(); ++attempt) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return sent == bytes.size();
  }

  // One response (a 1xx interim response counts as one, without a body).
  std::optional<TestResponse> ReadResponse() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    size_t head_end = std::string::npos;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline || !ReadMore()) return std::nullopt;
    }
    TestResponse response;
    const std::string head = buffer_.substr(0, head_end);
    if (head.size() < 12 || head.compare(0, 9, "HTTP/1.1 ") != 0) return std::nullopt;
    response.status = std::stoi(head.substr(9, 3));
    size_t line_start = head.find("\r\n");
    while (line_start != std::string::npos && line_start < head.size()) {
      line_start += 2;
      const size_t line_end = head.find("\r\n", line_start);
      const std::string line = head.substr(line_start, line_end - line_start);
      const size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (char& c : name)
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        size_t value_start = colon + 1;
        while (value_start < line.size() && line[value_start] == ' ')
          ++value_start;
        response.headers[name] = line.substr(value_start);
      }
      line_start = line_end;
    }
    buffer_.erase(0, head_end + 4);
    if (response.status >= 100 && response.status < 200) return response;
    const size_t length = std::stoul(
        response.Header("content-length").empty() ? "0" : response.Header("content-length"));
    while (buffer_.size() < length) {
      if (std::chrono::steady_clock::now() > deadline || !ReadMore()) return std::nullopt;
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return response;
  }

  // True when the server closed the connection (end of stream) in time.
  bool ServerClosed() {
    for (int attempt = 0; attempt < 100; ++attempt) {
      char byte;
      const ssize_t n = ::recv(fd_, &byte, 1, 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
    }
    return false;
  }

  void ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

  // How the server ended the connection, and what it sent before.
  struct Ending {
    std::string data;     // bytes not yet taken by ReadResponse
    bool closed = false;  // end of stream (FIN)
    bool reset = false;   // ECONNRESET
  };
  // Reads until the server ends the connection (or 5 s pass with nothing).
  Ending ReadToEnd() {
    Ending ending;
    ending.data = std::move(buffer_);
    buffer_.clear();
    for (int attempt = 0; attempt < 100000; ++attempt) {
      char chunk[16384];
      const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (n > 0) {
        ending.data.append(chunk, static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      ending.closed = n == 0;
      ending.reset = n < 0 && errno == ECONNRESET;
      break;
    }
    return ending;
  }

  // Closes with RST (zero linger), as a client that aborts does.
  void Abort() {
    const linger reset_on_close{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &reset_on_close, sizeof(reset_on_close));
    ::close(fd_);
    fd_ = -1;
  }

 private:
  bool ReadMore() {
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string buffer_;
};

inline std::string PostRequest(std::string_view path, std::string_view body, std::string_view token,
                               std::string_view extra_headers = "") {
  std::string request = "POST " + std::string(path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!token.empty()) request += "Authorization: Bearer " + std::string(token) + "\r\n";
  request += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
             "\r\n" + std::string(extra_headers) + "\r\n" + std::string(body);
  return request;
}

inline std::string GetRequest(std::string_view path) {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

}  // namespace skyflow::emulator::testing
