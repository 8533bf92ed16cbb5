#include "emulator/http/http_server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <unordered_map>
#include <utility>

#include "emulator/common/random.h"
#include "emulator/common/uuid.h"

namespace skyflow::emulator {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kInitialReadBuffer = 16 * 1024;
constexpr size_t kMinReadSpace = 16 * 1024;
// Past this much unsent output a connection stops being read: a client that
// pipelines without reading cannot make the emulator buffer without bound.
constexpr size_t kMaxPendingOutput = 4 << 20;
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::string_view kContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n";

std::string ErrnoText(int error) {
  return std::strerror(error);
}

// The bytes read from a connection and not yet consumed by a request.
class ReadBuffer {
 public:
  char* data() { return storage_.get() + begin_; }
  size_t size() const { return end_ - begin_; }
  bool empty() const { return begin_ == end_; }

  // Free space of at least `minimum` bytes after the data (moving the data
  // to the front or growing as needed).
  std::pair<char*, size_t> WritableSpace(size_t minimum) {
    if (capacity_ - end_ < minimum && begin_ > 0) {
      std::memmove(storage_.get(), storage_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (capacity_ - end_ < minimum) {
      size_t capacity = capacity_ == 0 ? kInitialReadBuffer : capacity_ * 2;
      while (capacity - end_ < minimum)
        capacity *= 2;
      auto grown = std::make_unique_for_overwrite<char[]>(capacity);
      if (end_ > begin_) std::memcpy(grown.get(), storage_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
      storage_ = std::move(grown);
      capacity_ = capacity;
    }
    return {storage_.get() + end_, capacity_ - end_};
  }
  void Commit(size_t bytes) { end_ += bytes; }
  void Consume(size_t bytes) {
    begin_ += bytes;
    if (begin_ == end_) {
      begin_ = end_ = 0;
      // After one huge request, return to the usual size.
      if (capacity_ > (1 << 20)) {
        storage_.reset();
        capacity_ = 0;
      }
    }
  }

 private:
  std::unique_ptr<char[]> storage_;
  size_t capacity_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
};

struct Connection {
  Connection(int socket, const HttpRequestParser::Limits& limits) : fd(socket), parser(limits) {}

  int fd;
  HttpRequestParser parser;
  ReadBuffer input;
  std::string output;
  size_t output_sent = 0;
  bool close_after_flush = false;
  // After a protocol error: half-close once flushed, then discard input.
  bool linger_after_flush = false;
  bool lingering = false;
  bool peer_closed = false;
  Clock::time_point linger_deadline;

  size_t pending_output() const { return output.size() - output_sent; }
};

}  // namespace

class HttpServer::Worker {
 public:
  Worker(HttpServer* server, std::unique_ptr<HttpHandler> handler)
      : server_(server), handler_(std::move(handler)) {}
  ~Worker() {
    for (auto& [fd, connection] : connections_)
      ::close(fd);
    if (epoll_fd_ >= 0) ::close(epoll_fd_);
  }

  Status Init() {
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) return Status::Internal("epoll_create1 failed: " + ErrnoText(errno));
    epoll_event listen_event{};
    listen_event.events = EPOLLIN | EPOLLEXCLUSIVE;
    listen_event.data.ptr = &listen_tag_;
    epoll_event stop_event{};
    stop_event.events = EPOLLIN;
    stop_event.data.ptr = &stop_tag_;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, server_->listen_fd_, &listen_event) != 0 ||
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, server_->stop_fd_, &stop_event) != 0) {
      return Status::Internal("epoll_ctl failed: " + ErrnoText(errno));
    }
    return Status::Ok();
  }

  void StartThread() {
    thread_ = std::thread([this] { Run(); });
  }
  void Join() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Run() {
    epoll_event events[128];
    bool stopping = false;
    while (!stopping) {
      const int count = ::epoll_wait(epoll_fd_, events, 128, lingering_ > 0 ? 500 : -1);
      if (count < 0 && errno != EINTR) break;
      for (int i = 0; i < count; ++i) {
        void* tag = events[i].data.ptr;
        if (tag == &stop_tag_) {
          stopping = true;
        } else if (tag == &listen_tag_) {
          Accept();
        } else {
          Service(static_cast<Connection*>(tag));
        }
      }
      if (lingering_ > 0) CloseExpiredLingerers();
    }
  }

  void Accept() {
    // One connection per wake-up: the listener is level-triggered, so this
    // worker (or another idle one) is woken again for the next, which
    // spreads a burst of connections over the workers.
    const int fd = ::accept4(server_->listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN: another worker took it; EMFILE and co: the client retries
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    auto connection = std::make_unique<Connection>(fd, server_->options_.limits);
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    event.data.ptr = connection.get();
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
      ::close(fd);
      return;
    }
    connections_.emplace(fd, std::move(connection));
  }

  void Close(Connection* connection) {
    if (connection->lingering) --lingering_;
    const int fd = connection->fd;
    ::close(fd);
    connections_.erase(fd);  // destroys *connection
  }

  // Everything a readiness event calls for: answer what is buffered, send,
  // read more, until the socket has nothing more to give or take.
  void Service(Connection* connection) {
    if (connection->lingering) {
      Discard(connection);
      return;
    }
    for (;;) {
      Process(connection);
      if (!Flush(connection)) return;  // closed
      if (connection->close_after_flush || connection->pending_output() > 0) return;
      if (connection->peer_closed) {
        Close(connection);
        return;
      }
      auto [space, space_size] = connection->input.WritableSpace(kMinReadSpace);
      const ssize_t received = ::recv(connection->fd, space, space_size, 0);
      if (received > 0) {
        connection->input.Commit(static_cast<size_t>(received));
      } else if (received == 0) {
        // The client finished sending; whole requests it sent are still
        // answered (a half-closed client may be waiting for them).
        connection->peer_closed = true;
      } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return;
      } else if (errno != EINTR) {
        Close(connection);
        return;
      }
    }
  }

  // Answers every complete request in the read buffer, in order.
  void Process(Connection* connection) {
    while (!connection->close_after_flush && connection->pending_output() < kMaxPendingOutput &&
           !connection->input.empty()) {
      HttpRequestParser& parser = connection->parser;
      const auto result = parser.Parse(connection->input.data(), connection->input.size());
      if (result == HttpRequestParser::Result::kIncomplete) {
        if (parser.TakeContinueDue()) connection->output.append(kContinueResponse);
        return;
      }
      char request_id[kUuidTextSize];
      server_->request_ids_.Next(request_id);
      const std::string_view id(request_id, kUuidTextSize);
      response_.Clear();
      if (result == HttpRequestParser::Result::kError) {
        handler_->HandleProtocolError(parser.error_status(), parser.error_message(), id,
                                      &response_);
        AppendResponse(connection, id, /*keep_alive=*/false);
        connection->close_after_flush = true;
        connection->linger_after_flush = true;
        return;
      }
      HttpRequest* request = parser.mutable_request();
      request->request_id = id;
      handler_->Handle(*request, &response_);
      const bool keep_alive = request->keep_alive && !response_.close_connection;
      AppendResponse(connection, id, keep_alive);
      connection->input.Consume(parser.consumed());
      parser.Reset();
      if (!keep_alive) connection->close_after_flush = true;
    }
  }

  void AppendResponse(Connection* connection, std::string_view request_id, bool keep_alive) {
    AppendResponseHead(response_, request_id, keep_alive, &connection->output);
    connection->output.append(response_.body);
  }

  // Sends pending output. False when the connection was closed.
  bool Flush(Connection* connection) {
    while (connection->pending_output() > 0) {
      const ssize_t sent =
          ::send(connection->fd, connection->output.data() + connection->output_sent,
                 connection->pending_output(), MSG_NOSIGNAL);
      if (sent > 0) {
        connection->output_sent += static_cast<size_t>(sent);
      } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return true;  // EPOLLOUT will call again
      } else if (sent < 0 && errno == EINTR) {
        continue;
      } else {
        Close(connection);
        return false;
      }
    }
    connection->output.clear();
    connection->output_sent = 0;
    if (connection->output.capacity() > kMaxPendingOutput) std::string().swap(connection->output);
    if (!connection->close_after_flush) return true;
    if (connection->linger_after_flush && !connection->peer_closed) {
      ::shutdown(connection->fd, SHUT_WR);
      connection->lingering = true;
      connection->linger_deadline = Clock::now() + kLingerTime;
      ++lingering_;
      Discard(connection);
      return false;
    }
    Close(connection);
    return false;
  }

  // Reads and drops what a lingering connection still sends; closes it at
  // end of stream or error.
  void Discard(Connection* connection) {
    char sink[16 * 1024];
    for (;;) {
      const ssize_t received = ::recv(connection->fd, sink, sizeof(sink), 0);
      if (received > 0) continue;
      if (received < 0 && errno == EINTR) continue;
      if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      Close(connection);
      return;
    }
  }

  void CloseExpiredLingerers() {
    const auto now = Clock::now();
    std::vector<Connection*> expired;
    for (auto& [fd, connection] : connections_) {
      if (connection->lingering && connection->linger_deadline <= now) {
        expired.push_back(connection.get());
      }
    }
    for (Connection* connection : expired)
      Close(connection);
  }

  HttpServer* server_;
  std::unique_ptr<HttpHandler> handler_;
  std::thread thread_;
  int epoll_fd_ = -1;
  char listen_tag_ = 0;
  char stop_tag_ = 0;
  std::unordered_map<int, std::unique_ptr<Connection>> connections_;
  size_t lingering_ = 0;
  HttpResponse response_;
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandlerFactory factory)
    : options_(std::move(options)), factory_(std::move(factory)), request_ids_(RandomSeed()) {}

HttpServer::~HttpServer() {
  Stop();
}

Status HttpServer::Start() {
  const std::string where = options_.host + ":" + std::to_string(options_.port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* addresses = nullptr;
  const std::string port_text = std::to_string(options_.port);
  if (const int error = ::getaddrinfo(options_.host.c_str(), port_text.c_str(), &hints, &addresses);
      error != 0) {
    return Status::InvalidArgument("Cannot resolve listen address " + where + ": " +
                                   ::gai_strerror(error));
  }
  std::string last_error = "no address";
  for (addrinfo* address = addresses; address != nullptr; address = address->ai_next) {
    const int fd = ::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                            address->ai_protocol);
    if (fd < 0) {
      last_error = ErrnoText(errno);
      continue;
    }
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (::bind(fd, address->ai_addr, address->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
      last_error = ErrnoText(errno);
      ::close(fd);
      continue;
    }
    listen_fd_ = fd;
    break;
  }
  ::freeaddrinfo(addresses);
  if (listen_fd_ < 0) return Status::Unavailable("Cannot listen on " + where + ": " + last_error);

  sockaddr_storage bound{};
  socklen_t bound_size = sizeof(bound);
  if (::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &bound_size) != 0) {
    return Status::Internal("getsockname failed: " + ErrnoText(errno));
  }
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);

  stop_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (stop_fd_ < 0) return Status::Internal("eventfd failed: " + ErrnoText(errno));

  const int threads = options_.threads > 0 ? options_.threads : 1;
  for (int i = 0; i < threads; ++i) {
    auto worker = std::make_unique<Worker>(this, factory_(i));
    SKYFLOW_RETURN_IF_ERROR(worker->Init());
    workers_.push_back(std::move(worker));
  }
  for (auto& worker : workers_)
    worker->StartThread();
  return Status::Ok();
}

void HttpServer::Stop() {
  if (stop_fd_ >= 0) {
    const uint64_t one = 1;
    // The eventfd stays readable (nobody reads it), so every worker sees it.
    [[maybe_unused]] const ssize_t written = ::write(stop_fd_, &one, sizeof(one));
  }
  for (auto& worker : workers_)
    worker->Join();
  workers_.clear();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (stop_fd_ >= 0) ::close(stop_fd_);
  listen_fd_ = stop_fd_ = -1;
}

}  // namespace skyflow::emulator
