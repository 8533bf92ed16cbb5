#include "report/metrics_server.h"

#include <netdb.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "report/prometheus_text.h"
#include "util/errno_text.h"
#include "util/host_port.h"

namespace skyflow {
namespace {

using SteadyTime = std::chrono::steady_clock;

constexpr int kListenBacklog = 16;
constexpr size_t kMaxPageBytes = 16 * 1024 * 1024;

// Waits until `fd` is ready for `events`, or `stop_fd` (-1: none) is
// readable, or `deadline` passes. True only in the first case (a hang-up or
// an error counts as ready: the next read or write reports it).
bool WaitFor(int fd, short events, int stop_fd, SteadyTime::time_point deadline) {
  while (true) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyTime::now());
    if (left.count() <= 0) return false;
    pollfd fds[2] = {{fd, events, 0}, {stop_fd, POLLIN, 0}};
    const int ready = ::poll(fds, stop_fd >= 0 ? 2 : 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return false;
    if (stop_fd >= 0 && (fds[1].revents & POLLIN) != 0) return false;
    if ((fds[0].revents & (events | POLLHUP | POLLERR)) != 0) return true;
  }
}

// Sends all of `data` on the non-blocking socket `fd` before `deadline`.
bool SendAll(int fd, std::string_view data, int stop_fd, SteadyTime::time_point deadline) {
  while (!data.empty()) {
    const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent > 0) {
      data.remove_prefix(static_cast<size_t>(sent));
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
        WaitFor(fd, POLLOUT, stop_fd, deadline)) {
      continue;
    }
    return false;
  }
  return true;
}

std::string Answer(int status, std::string_view reason, std::string_view content_type,
                   std::string_view body, bool with_body, std::string_view extra_header = "") {
  std::string answer = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) + "\r\n";
  answer += "Content-Type: " + std::string(content_type) + "\r\n";
  answer += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  answer += extra_header;
  answer += "Connection: close\r\n\r\n";
  if (with_body) answer += body;
  return answer;
}

std::string PlainAnswer(int status, std::string_view reason, std::string_view text,
                        std::string_view extra_header = "") {
  return Answer(status, reason, "text/plain; charset=utf-8", text, true, extra_header);
}

// The end of the request head, or npos while it is incomplete.
size_t HeadEnd(std::string_view received) {
  const size_t crlf = received.find("\r\n\r\n");
  const size_t lf = received.find("\n\n");
  return std::min(crlf, lf);
}

addrinfo* Resolve(const HostPort& address, bool passive, int* error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
  addrinfo* list = nullptr;
  *error = ::getaddrinfo(address.host.c_str(), std::to_string(address.port).c_str(), &hints, &list);
  return *error == 0 ? list : nullptr;
}

}  // namespace

Result<std::unique_ptr<MetricsServer>> MetricsServer::Start(const std::string& address,
                                                            std::function<std::string()> render,
                                                            MetricsServerOptions options) {
  Result<HostPort> parsed = ParseHostPort(address);
  if (!parsed.ok()) return parsed.status();
  int resolve_error = 0;
  addrinfo* candidates = Resolve(*parsed, true, &resolve_error);
  if (candidates == nullptr) {
    return Status::Unavailable("cannot listen on " + address + ": " +
                               ::gai_strerror(resolve_error) +
                               "; give an address of this machine, such as 127.0.0.1:9102");
  }
  int listen_fd = -1;
  int last_errno = 0;
  for (addrinfo* candidate = candidates; candidate != nullptr && listen_fd < 0;
       candidate = candidate->ai_next) {
    const int fd = ::socket(candidate->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
      last_errno = errno;
      continue;
    }
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (::bind(fd, candidate->ai_addr, candidate->ai_addrlen) == 0 &&
        ::listen(fd, kListenBacklog) == 0) {
      listen_fd = fd;
    } else {
      last_errno = errno;
      ::close(fd);
    }
  }
  ::freeaddrinfo(candidates);
  if (listen_fd < 0) {
    return Status::Unavailable("cannot listen on " + address + ": " + ErrnoText(last_errno) +
                               "; choose another -metrics-addr (port 0: any free port)");
  }
  sockaddr_storage bound{};
  socklen_t bound_size = sizeof(bound);
  char host[NI_MAXHOST] = {};
  char port[NI_MAXSERV] = {};
  if (::getsockname(listen_fd, reinterpret_cast<sockaddr*>(&bound), &bound_size) != 0 ||
      ::getnameinfo(reinterpret_cast<sockaddr*>(&bound), bound_size, host, sizeof(host), port,
                    sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    const int error = errno;
    ::close(listen_fd);
    return Status::Unavailable("cannot tell where " + address + " listens: " + ErrnoText(error));
  }
  const int stop_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop_fd < 0) {
    const int error = errno;
    ::close(listen_fd);
    return Status::Unavailable("cannot serve metrics: eventfd: " + ErrnoText(error));
  }
  const std::string actual = FormatHostPort(HostPort{host, static_cast<uint16_t>(std::atoi(port))});
  return std::unique_ptr<MetricsServer>(
      new MetricsServer(listen_fd, stop_fd, actual, std::move(render), options));
}

MetricsServer::MetricsServer(int listen_fd, int stop_fd, std::string address,
                             std::function<std::string()> render, MetricsServerOptions options)
    : listen_fd_(listen_fd),
      stop_fd_(stop_fd),
      address_(std::move(address)),
      render_(std::move(render)),
      options_(options),
      thread_([this] { Loop(); }) {}

MetricsServer::~MetricsServer() {
  Stop();
}

void MetricsServer::Stop() {
  if (!thread_.joinable()) return;
  const uint64_t one = 1;
  // An eventfd write of 1 cannot fail short of a counter overflow.
  [[maybe_unused]] const ssize_t written = ::write(stop_fd_, &one, sizeof(one));
  thread_.join();
  ::close(listen_fd_);
  ::close(stop_fd_);
}

bool MetricsServer::AwaitReady(int fd, short events, SteadyTime::time_point deadline) {
  return WaitFor(fd, events, stop_fd_, deadline);
}

void MetricsServer::Loop() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    const int ready = ::poll(fds, 2, -1);
    if (ready < 0 && errno != EINTR) return;
    if ((fds[1].revents & POLLIN) != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) {
      // Out of descriptors, say: rest a little rather than spin.
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        pollfd stop = {stop_fd_, POLLIN, 0};
        ::poll(&stop, 1, 100);
      }
      continue;
    }
    Serve(fd);
    ::close(fd);
  }
}

void MetricsServer::Serve(int fd) {
  const auto read_deadline = SteadyTime::now() + options_.request_timeout;
  std::string head;
  char buffer[2048];
  size_t end = std::string::npos;
  while ((end = HeadEnd(head)) == std::string::npos) {
    if (head.size() >= options_.max_head_bytes) {
      SendAll(fd,
              PlainAnswer(431, "Request Header Fields Too Large",
                          "request head too large: only GET /metrics is served here\n"),
              stop_fd_, SteadyTime::now() + options_.request_timeout);
      return;
    }
    if (!AwaitReady(fd, POLLIN, read_deadline)) return;
    const ssize_t received = ::recv(fd, buffer, sizeof(buffer), 0);
    if (received < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (received <= 0) return;
    head.append(buffer, static_cast<size_t>(received));
  }
  const std::string_view request_line =
      std::string_view(head).substr(0, head.find_first_of("\r\n"));
  const size_t first_space = request_line.find(' ');
  const size_t second_space =
      first_space == std::string_view::npos ? first_space : request_line.find(' ', first_space + 1);
  std::string answer;
  if (second_space == std::string_view::npos ||
      !request_line.substr(second_space + 1).starts_with("HTTP/1.")) {
    answer = PlainAnswer(400, "Bad Request", "not an HTTP/1.x request\n");
  } else {
    const std::string_view method = request_line.substr(0, first_space);
    const std::string_view target =
        request_line.substr(first_space + 1, second_space - first_space - 1);
    const std::string_view path = target.substr(0, target.find('?'));
    if (path != "/metrics") {
      answer = PlainAnswer(404, "Not Found", "not found: the metrics are at /metrics\n");
    } else if (method != "GET" && method != "HEAD") {
      answer = PlainAnswer(405, "Method Not Allowed", "only GET and HEAD are served\n",
                           "Allow: GET, HEAD\r\n");
    } else {
      answer = Answer(200, "OK", kPrometheusContentType, render_(), method == "GET");
    }
  }
  if (SendAll(fd, answer, stop_fd_, SteadyTime::now() + options_.request_timeout)) {
    ::shutdown(fd, SHUT_WR);
  }
}

Result<std::string> FetchMetricsPage(const std::string& address,
                                     std::chrono::milliseconds timeout) {
  const auto deadline = SteadyTime::now() + timeout;
  Result<HostPort> parsed = ParseHostPort(address);
  if (!parsed.ok()) return parsed.status();
  int resolve_error = 0;
  addrinfo* candidates = Resolve(*parsed, false, &resolve_error);
  if (candidates == nullptr) {
    return Status::Unavailable("metrics at " + address + ": " + ::gai_strerror(resolve_error));
  }
  const int fd = ::socket(candidates->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  int connected = fd < 0 ? -1 : ::connect(fd, candidates->ai_addr, candidates->ai_addrlen);
  ::freeaddrinfo(candidates);
  if (fd < 0) return Status::Unavailable("metrics at " + address + ": " + ErrnoText(errno));
  auto fail = [&](const std::string& why) -> Status {
    ::close(fd);
    return Status::Unavailable("metrics at " + address + ": " + why);
  };
  if (connected != 0 && errno != EINPROGRESS) return fail(ErrnoText(errno));
  if (connected != 0) {
    if (!WaitFor(fd, POLLOUT, -1, deadline)) return fail("no connection in time");
    int error = 0;
    socklen_t size = sizeof(error);
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0 || error != 0) {
      return fail(ErrnoText(error));
    }
  }
  const std::string request = "GET /metrics HTTP/1.1\r\nHost: " + address +
                              "\r\nAccept: text/plain\r\nConnection: close\r\n\r\n";
  if (!SendAll(fd, request, -1, deadline)) return fail("could not send the request");
  std::string received;
  char buffer[16384];
  while (true) {
    if (!WaitFor(fd, POLLIN, -1, deadline)) return fail("no complete answer in time");
    const ssize_t count = ::recv(fd, buffer, sizeof(buffer), 0);
    if (count < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (count < 0) return fail(ErrnoText(errno));
    if (count == 0) break;
    received.append(buffer, static_cast<size_t>(count));
    if (received.size() > kMaxPageBytes) return fail("answer larger than 16 MiB");
  }
  ::close(fd);
  const size_t head_end = received.find("\r\n\r\n");
  if (!received.starts_with("HTTP/1.") || head_end == std::string::npos) {
    return Status::Unavailable("metrics at " + address + ": not an HTTP answer");
  }
  const size_t space = received.find(' ');
  if (received.compare(space + 1, 4, "200 ") != 0) {
    return Status::Unavailable("metrics at " + address + ": answered " +
                               received.substr(space + 1, received.find("\r\n") - space - 1));
  }
  return received.substr(head_end + 4);
}

}  // namespace skyflow
