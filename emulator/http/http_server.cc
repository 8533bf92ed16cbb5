#include "emulator/http/http_server.h"

#include <arpa/inet.h>
#include <linux/sockios.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstring>
#include <functional>
#include <queue>
#include <thread>
#include <unordered_map>
#include <utility>

#include "emulator/common/random.h"
#include "emulator/common/reusable_buffer.h"
#include "emulator/common/uuid.h"
#include "util/errno_text.h"

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

// How a connection ends: ordinary close (with a TLS close_notify), abrupt
// (FIN only: the "server died" look of a dropped answer), or reset (RST).
enum class CloseMode { kGraceful, kAbrupt, kReset };

constexpr Clock::time_point kNever = Clock::time_point::max();

struct Connection {
  Connection(int socket, uint64_t serial_number, const HttpRequestParser::Limits& limits)
      : fd(socket), serial(serial_number), parser(limits) {}
  ~Connection() {
    if (ssl != nullptr) SSL_free(ssl);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  int fd;
  uint64_t serial;  // tells a timer for this connection from one for an earlier user of fd
  SSL* ssl = nullptr;
  bool tls_checked = false;  // the first byte was seen to be a TLS record
  bool handshake_done = false;
  HttpRequestParser parser;
  ReadBuffer input;
  std::string output;
  size_t output_sent = 0;
  bool close_after_flush = false;
  CloseMode close_mode = CloseMode::kGraceful;
  // After a protocol error: half-close once flushed, then discard input.
  bool linger_after_flush = false;
  bool lingering = false;
  bool peer_closed = false;
  Clock::time_point linger_deadline;

  // Timeouts.
  Clock::time_point last_progress;  // last byte read or written
  bool in_head = false;             // a request's head has started, not ended
  Clock::time_point head_started;

  uint64_t ticket = 0;  // from the handler's OnHead, for the request being read

  // An answer held back by HttpResponse::delay; nothing after it is
  // processed until it is delivered.
  bool held = false;
  bool held_keep_alive = true;
  HttpResponse::Delivery held_delivery = HttpResponse::Delivery::kSend;
  Clock::time_point held_until;
  std::string held_output;

  // Throttled reads (read_rate bytes per second; 0: unthrottled).
  uint64_t read_rate = 0;
  double read_tokens = 0;
  Clock::time_point tokens_time;
  bool read_paused = false;
  Clock::time_point read_resume;

  // A reset waiting for the answers before it to leave the send queue (an
  // RST discards what the kernel has not sent yet).
  bool reset_waiting = false;
  Clock::time_point reset_check;
  Clock::time_point reset_give_up;

  // The deadline this connection has a live entry for in the timer heap.
  Clock::time_point scheduled = kNever;

  size_t pending_output() const { return output.size() - output_sent; }
};

struct TimerEntry {
  Clock::time_point when;
  int fd;
  uint64_t serial;
  bool operator>(const TimerEntry& other) const { return when > other.when; }
};

// Token bucket size for a read rate: a twentieth of a second's worth, so a
// throttled connection is read in small, evenly spaced steps.
double ReadBurst(uint64_t rate) {
  return std::max(1.0, static_cast<double>(rate) / 20.0);
}

// recv/send with OpenSSL's answers mapped onto errno: >0 bytes, 0 end of
// stream (reads), -1 with EAGAIN when the operation must wait for
// readiness, -1 with another errno on failure.
ssize_t TlsRead(SSL* ssl, char* data, size_t size) {
  ERR_clear_error();
  const int read = SSL_read(ssl, data, static_cast<int>(std::min<size_t>(size, INT_MAX)));
  if (read > 0) return read;
  switch (SSL_get_error(ssl, read)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      errno = EAGAIN;
      return -1;
    case SSL_ERROR_ZERO_RETURN:
      return 0;
    default:
      ERR_clear_error();
      errno = EIO;
      return -1;
  }
}

ssize_t TlsWrite(SSL* ssl, const char* data, size_t size) {
  ERR_clear_error();
  const int written = SSL_write(ssl, data, static_cast<int>(std::min<size_t>(size, INT_MAX)));
  if (written > 0) return written;
  switch (SSL_get_error(ssl, written)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      errno = EAGAIN;
      return -1;
    default:
      ERR_clear_error();
      errno = EPIPE;
      return -1;
  }
}

}  // namespace

class HttpServer::Worker {
 public:
  Worker(HttpServer* server, std::unique_ptr<HttpHandler> handler)
      : server_(server), handler_(std::move(handler)), options_(server->options_) {}
  ~Worker() {
    for (auto& [fd, connection] : connections_)
      ::close(fd);
    if (epoll_fd_ >= 0) ::close(epoll_fd_);
  }

  Status Init() {
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) return Status::Internal("epoll_create1 failed: " + ErrnoText(errno));
    epoll_event stop_event{};
    stop_event.events = EPOLLIN;
    stop_event.data.ptr = &stop_tag_;
    if (!WatchListener() ||
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
  size_t open_connections() const { return open_connections_.load(std::memory_order_relaxed); }

 private:
  void Run() {
    epoll_event events[128];
    bool stopping = false;
    while (!stopping) {
      const int count = ::epoll_wait(epoll_fd_, events, 128, WaitTimeoutMs());
      if (count < 0 && errno != EINTR) break;
      now_ = Clock::now();
      for (int i = 0; i < count; ++i) {
        void* tag = events[i].data.ptr;
        if (tag == &stop_tag_) {
          stopping = true;
        } else if (tag == &listen_tag_) {
          Accept();
        } else {
          auto* connection = static_cast<Connection*>(tag);
          if (Service(connection, events[i].events)) Arm(connection);
        }
      }
      RunDueTimers();
      if (accept_paused_ && now_ >= accept_resume_ && WatchListener()) accept_paused_ = false;
    }
  }

  bool WatchListener() {
    epoll_event listen_event{};
    listen_event.events = EPOLLIN | EPOLLEXCLUSIVE;
    listen_event.data.ptr = &listen_tag_;
    return ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, server_->listen_fd_, &listen_event) == 0;
  }

  // Milliseconds until the earliest deadline (rounded up), -1 for none.
  int WaitTimeoutMs() const {
    if (timers_.empty() && !accept_paused_) return -1;
    Clock::time_point next = timers_.empty() ? kNever : timers_.top().when;
    if (accept_paused_) next = std::min(next, accept_resume_);
    const auto wait = next - Clock::now();
    if (wait <= Clock::duration::zero()) return 0;
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
    return static_cast<int>(std::min<int64_t>(ms, 60 * 60 * 1000));
  }

  void RunDueTimers() {
    // Bounded: every due entry is popped once; entries pushed meanwhile are
    // in the future unless a deadline is already due, which the next round
    // (with a zero epoll timeout) takes.
    for (size_t due = timers_.size(); due > 0 && !timers_.empty(); --due) {
      const TimerEntry entry = timers_.top();
      if (entry.when > now_) return;
      timers_.pop();
      const auto found = connections_.find(entry.fd);
      if (found == connections_.end()) continue;
      Connection* connection = found->second.get();
      if (connection->serial != entry.serial || connection->scheduled != entry.when) continue;
      connection->scheduled = kNever;
      if (OnTimer(connection)) Arm(connection);
    }
  }

  // The connection's next deadline: what it waits for first.
  Clock::time_point NextDeadline(const Connection* connection) const {
    if (connection->reset_waiting) return connection->reset_check;
    if (connection->lingering) return connection->linger_deadline;
    if (connection->held) return connection->held_until;
    if (connection->read_paused) return connection->read_resume;
    Clock::time_point next = kNever;
    if (options_.idle_timeout.count() > 0) next = connection->last_progress + options_.idle_timeout;
    if (HeadTimeoutApplies(connection)) {
      next = std::min(next, connection->head_started + options_.header_timeout);
    }
    return next;
  }

  bool HeadTimeoutApplies(const Connection* connection) const {
    return options_.header_timeout.count() > 0 && connection->in_head && connection->read_rate == 0;
  }

  // Makes sure the timer heap will wake this worker by the connection's next
  // deadline. A deadline that moved later keeps its earlier entry, which
  // re-arms when it fires: an active connection costs no heap operation per
  // request.
  void Arm(Connection* connection) {
    const Clock::time_point next = NextDeadline(connection);
    if (next < connection->scheduled) {
      connection->scheduled = next;
      timers_.push({next, connection->fd, connection->serial});
    }
  }

  // A deadline of the connection passed (or may have). False when closed.
  bool OnTimer(Connection* connection) {
    if (connection->reset_waiting) {
      if (!ResetDue(connection)) return true;
      Close(connection, CloseMode::kReset);
      return false;
    }
    if (connection->lingering) {
      if (now_ < connection->linger_deadline) return true;
      Close(connection, CloseMode::kAbrupt);
      return false;
    }
    if (connection->held) return now_ >= connection->held_until ? Release(connection) : true;
    if (connection->read_paused) {
      if (now_ < connection->read_resume) return true;
      connection->read_paused = false;
      return Service(connection, 0);
    }
    if (HeadTimeoutApplies(connection) &&
        now_ >= connection->head_started + options_.header_timeout) {
      return TimeOutHead(connection);
    }
    if (options_.idle_timeout.count() > 0 &&
        now_ >= connection->last_progress + options_.idle_timeout) {
      Close(connection, CloseMode::kGraceful);
      return false;
    }
    return true;
  }

  void Accept() {
    // One connection per wake-up: the listener is level-triggered, so this
    // worker (or another idle one) is woken again for the next, which
    // spreads a burst of connections over the workers.
    const int fd = ::accept4(server_->listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      // EAGAIN: another worker took it. Out of descriptors or memory: the
      // pending connection stays queued and the listener readable, so stop
      // watching it for a moment rather than spin on it.
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, server_->listen_fd_, nullptr);
        accept_paused_ = true;
        accept_resume_ = now_ + std::chrono::milliseconds(100);
      }
      return;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    auto connection = std::make_unique<Connection>(fd, ++serial_, options_.limits);
    if (options_.tls != nullptr) {
      connection->ssl = options_.tls->NewConnection(fd);
      if (connection->ssl == nullptr) {
        ::close(fd);
        return;
      }
    }
    connection->last_progress = now_;
    connection->read_rate = handler_->ReadRateLimit();
    if (connection->read_rate != 0) {
      connection->read_tokens = ReadBurst(connection->read_rate);
      connection->tokens_time = now_;
    }
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    event.data.ptr = connection.get();
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
      ::close(fd);
      return;
    }
    Connection* added = connection.get();
    connections_.emplace(fd, std::move(connection));
    open_connections_.fetch_add(1, std::memory_order_relaxed);
    Arm(added);
  }

  void Close(Connection* connection, CloseMode mode) {
    const int fd = connection->fd;
    if (mode == CloseMode::kReset) {
      // A zero linger time makes close() abort the connection with RST.
      const linger reset_on_close{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset_on_close, sizeof(reset_on_close));
    } else if (mode == CloseMode::kGraceful && connection->ssl != nullptr &&
               connection->handshake_done && !connection->lingering) {
      // close_notify, sent once without waiting for the client's.
      ERR_clear_error();
      SSL_shutdown(connection->ssl);
      ERR_clear_error();
    }
    ::close(fd);
    connections_.erase(fd);  // destroys *connection
    open_connections_.fetch_sub(1, std::memory_order_relaxed);
  }

  // Everything a readiness event (or a timer) calls for: handshake, answer
  // what is buffered, send, read more, until the socket has nothing more to
  // give or take. False when the connection was closed.
  bool Service(Connection* connection, uint32_t events) {
    if (connection->lingering) return Discard(connection);
    if (connection->ssl != nullptr && !connection->handshake_done) {
      if (!Handshake(connection)) return false;
      if (!connection->handshake_done) return true;
    }
    for (;;) {
      Process(connection);
      if (!Flush(connection)) return false;
      if (connection->close_after_flush || connection->pending_output() > 0) return true;
      if (connection->held) {
        // Not read while its answer is held; a client that aborted is let go now.
        if ((events & (EPOLLERR | EPOLLHUP)) != 0) {
          Close(connection, CloseMode::kAbrupt);
          return false;
        }
        return true;
      }
      if (connection->peer_closed) {
        Close(connection, CloseMode::kGraceful);
        return false;
      }
      if (connection->read_paused) return true;
      auto [space, space_size] = connection->input.WritableSpace(kMinReadSpace);
      if (connection->read_rate != 0) {
        space_size = ReadAllowance(connection, space_size);
        if (space_size == 0) return true;  // paused until the bucket refills
      }
      const ssize_t received = connection->ssl != nullptr
                                   ? TlsRead(connection->ssl, space, space_size)
                                   : ::recv(connection->fd, space, space_size, 0);
      if (received > 0) {
        connection->input.Commit(static_cast<size_t>(received));
        connection->last_progress = now_;
        if (connection->read_rate != 0) connection->read_tokens -= static_cast<double>(received);
      } else if (received == 0) {
        // The client finished sending; whole requests it sent are still
        // answered (a half-closed client may be waiting for them).
        connection->peer_closed = true;
      } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return true;
      } else if (errno != EINTR) {
        Close(connection, CloseMode::kAbrupt);
        return false;
      }
    }
  }

  // How many bytes a throttled connection may read now (refilling its
  // bucket); 0 pauses its reading until the bucket is full again.
  size_t ReadAllowance(Connection* connection, size_t space) {
    const double burst = ReadBurst(connection->read_rate);
    const double elapsed = std::chrono::duration<double>(now_ - connection->tokens_time).count();
    connection->read_tokens = std::min(
        burst, connection->read_tokens + elapsed * static_cast<double>(connection->read_rate));
    connection->tokens_time = now_;
    if (connection->read_tokens < 1.0) {
      const double refill_seconds =
          (burst - connection->read_tokens) / static_cast<double>(connection->read_rate);
      connection->read_paused = true;
      connection->read_resume =
          now_ + std::max<Clock::duration>(std::chrono::milliseconds(1),
                                           std::chrono::duration_cast<Clock::duration>(
                                               std::chrono::duration<double>(refill_seconds)));
      return 0;
    }
    return std::min(space, static_cast<size_t>(connection->read_tokens));
  }

  // Advances the TLS handshake. False when it failed (connection closed).
  bool Handshake(Connection* connection) {
    if (!connection->tls_checked) {
      // A TLS client starts with a handshake record (0x16); anything else is
      // most likely plain HTTP sent to the HTTPS port: say so in plain HTTP
      // rather than leave the client with a reset.
      char first = 0;
      const ssize_t peeked = ::recv(connection->fd, &first, 1, MSG_PEEK);
      if (peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return true;
      if (peeked <= 0) {
        Close(connection, CloseMode::kAbrupt);
        return false;
      }
      if (first != 0x16) return RefusePlainHttp(connection);
      connection->tls_checked = true;
    }
    ERR_clear_error();
    const int result = SSL_do_handshake(connection->ssl);
    if (result == 1) {
      connection->handshake_done = true;
      connection->last_progress = now_;
      return true;
    }
    const int error = SSL_get_error(connection->ssl, result);
    ERR_clear_error();
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return true;
    Close(connection, CloseMode::kAbrupt);
    return false;
  }

  bool RefusePlainHttp(Connection* connection) {
    SSL_free(connection->ssl);
    connection->ssl = nullptr;  // the answer goes out in the clear
    AnswerProtocolError(connection, 400,
                        "This port speaks HTTPS (TLS): use an https:// URL, and trust the "
                        "emulator's certificate (for curl: --cacert; for the loader: -ca-file)");
    return Flush(connection);
  }

  // Answers every complete request in the read buffer, in order, stopping
  // behind an answer that is held back.
  void Process(Connection* connection) {
    while (!connection->close_after_flush && !connection->held &&
           connection->pending_output() < kMaxPendingOutput && !connection->input.empty()) {
      HttpRequestParser& parser = connection->parser;
      const auto result = parser.Parse(connection->input.data(), connection->input.size());
      if (parser.TakeHeadDone()) {
        const char* data = connection->input.data();
        connection->ticket = 0;
        if (!handler_->OnHead(parser.HeadMethod(data), parser.HeadPath(data),
                              &connection->ticket)) {
          ResetBeforeBody(connection);
          return;
        }
      }
      if (result == HttpRequestParser::Result::kIncomplete) {
        if (parser.TakeContinueDue()) connection->output.append(kContinueResponse);
        if (!parser.InHead()) {
          connection->in_head = false;
        } else if (!connection->in_head) {
          connection->in_head = true;
          connection->head_started = now_;
        }
        return;
      }
      connection->in_head = false;
      if (result == HttpRequestParser::Result::kError) {
        AnswerProtocolError(connection, parser.error_status(), parser.error_message());
        return;
      }
      char id_buffer[kUuidTextSize];
      const std::string_view id = NextRequestId(id_buffer);
      response_.Clear();
      HttpRequest* request = parser.mutable_request();
      request->request_id = id;
      request->ticket = connection->ticket;
      connection->ticket = 0;
      handler_->Handle(*request, &response_);
      const bool keep_alive = request->keep_alive && !response_.close_connection;
      if (response_.delivery == HttpResponse::Delivery::kSend && response_.delay.count() <= 0) {
        AppendResponse(id, keep_alive, &connection->output);
        if (!keep_alive) connection->close_after_flush = true;
      } else {
        Hold(connection, id, keep_alive);
      }
      connection->input.Consume(parser.consumed());
      parser.Reset();
    }
  }

  // The handler refused a request on its head: the connection is reset as
  // soon as the answers before it have gone, and nothing more is read.
  void ResetBeforeBody(Connection* connection) {
    connection->in_head = false;
    char id_buffer[kUuidTextSize];
    const std::string_view id = NextRequestId(id_buffer);
    response_.Clear();
    response_.delivery = HttpResponse::Delivery::kResetConnection;
    Hold(connection, id, /*keep_alive=*/false);
  }

  // An answer that is delayed, dropped or reset. The handler has done its
  // work: what remains is only how (and when) the client hears of it.
  void Hold(Connection* connection, std::string_view request_id, bool keep_alive) {
    connection->held_delivery = response_.delivery;
    connection->held_keep_alive = keep_alive;
    if (response_.delivery == HttpResponse::Delivery::kSend) {
      connection->held_output.clear();
      AppendResponse(request_id, keep_alive, &connection->held_output);
    }
    if (response_.delay.count() > 0) {
      connection->held = true;
      // From now, not from the loop's cached time, which a long iteration
      // (TLS handshakes, many connections) can leave behind: an answer is
      // never held for less than its delay.
      connection->held_until = Clock::now() + response_.delay;
    } else {
      Deliver(connection);
    }
  }

  // Puts a held answer on its way: queued for sending, or the connection set
  // to end (after the answers before it are flushed) without one.
  void Deliver(Connection* connection) {
    switch (connection->held_delivery) {
      case HttpResponse::Delivery::kSend:
        connection->output.append(connection->held_output);
        if (!connection->held_keep_alive) connection->close_after_flush = true;
        break;
      case HttpResponse::Delivery::kDropConnection:
        // FIN after the earlier answers, then what the client still sends
        // is read and dropped: closing with unread input would be an RST.
        connection->close_after_flush = true;
        connection->linger_after_flush = true;
        connection->close_mode = CloseMode::kAbrupt;
        break;
      case HttpResponse::Delivery::kResetConnection:
        connection->close_after_flush = true;
        connection->close_mode = CloseMode::kReset;
        break;
    }
    ClearKeepingAtMost(&connection->held_output, kMaxPendingOutput);
  }

  // The held answer's delay is over. False when the connection was closed.
  bool Release(Connection* connection) {
    connection->held = false;
    connection->last_progress = now_;
    Deliver(connection);
    return Service(connection, 0);
  }

  // A request head that took longer than header_timeout: 408, then close.
  bool TimeOutHead(Connection* connection) {
    connection->in_head = false;
    const auto seconds =
        std::chrono::duration_cast<std::chrono::duration<double>>(options_.header_timeout).count();
    char limit[32];
    std::snprintf(limit, sizeof(limit), "%g", seconds);
    AnswerProtocolError(connection, 408,
                        std::string("The request head did not arrive within ") + limit +
                            " s of its first byte; send each request whole and promptly");
    return Flush(connection);
  }

  // A request the server refuses itself (unparseable, plain HTTP on a TLS
  // port, a head too slow): answered in the handler's error shape, then the
  // connection closes once the answer is sent, reading and dropping what
  // the client still sends so that the close stays a FIN.
  void AnswerProtocolError(Connection* connection, int status, std::string_view message) {
    char id_buffer[kUuidTextSize];
    const std::string_view id = NextRequestId(id_buffer);
    response_.Clear();
    handler_->HandleProtocolError(status, message, id, &response_);
    AppendResponse(id, /*keep_alive=*/false, &connection->output);
    connection->close_after_flush = true;
    connection->linger_after_flush = true;
  }

  // A fresh X-Request-Id, written into `buffer`.
  std::string_view NextRequestId(char (&buffer)[kUuidTextSize]) {
    server_->request_ids_.Next(buffer);
    return std::string_view(buffer, kUuidTextSize);
  }

  // response_, with its head, appended to `out`.
  void AppendResponse(std::string_view request_id, bool keep_alive, std::string* out) {
    AppendResponseHead(response_, request_id, keep_alive, out);
    out->append(response_.body);
  }

  // Sends pending output, then ends the connection if it is to end. False
  // when the connection was closed.
  bool Flush(Connection* connection) {
    while (connection->pending_output() > 0) {
      const char* data = connection->output.data() + connection->output_sent;
      const ssize_t sent =
          connection->ssl != nullptr
              ? TlsWrite(connection->ssl, data, connection->pending_output())
              : ::send(connection->fd, data, connection->pending_output(), MSG_NOSIGNAL);
      if (sent > 0) {
        connection->output_sent += static_cast<size_t>(sent);
        connection->last_progress = now_;
      } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return true;  // EPOLLOUT will call again
      } else if (sent < 0 && errno == EINTR) {
        continue;
      } else {
        Close(connection, CloseMode::kAbrupt);
        return false;
      }
    }
    ClearKeepingAtMost(&connection->output, kMaxPendingOutput);
    connection->output_sent = 0;
    if (!connection->close_after_flush) return true;
    if (connection->linger_after_flush && !connection->peer_closed) {
      if (connection->ssl != nullptr) {
        ERR_clear_error();
        SSL_shutdown(connection->ssl);
        ERR_clear_error();
      }
      ::shutdown(connection->fd, SHUT_WR);
      connection->lingering = true;
      connection->linger_deadline = now_ + kLingerTime;
      return Discard(connection);
    }
    if (connection->close_mode == CloseMode::kReset && !ResetDue(connection)) return true;
    Close(connection, connection->close_mode);
    return false;
  }

  // Whether an injected reset may abort the connection now: once the answers
  // before it have left the send queue (checked every 5 ms, for at most the
  // linger time), so that they reach the client and only this request is
  // left without one.
  bool ResetDue(Connection* connection) {
    int unsent = 0;
    if (::ioctl(connection->fd, SIOCOUTQ, &unsent) != 0) unsent = 0;
    if (!connection->reset_waiting) {
      connection->reset_waiting = true;
      connection->reset_give_up = now_ + kLingerTime;
    }
    if (unsent <= 0 || now_ >= connection->reset_give_up) return true;
    connection->reset_check = now_ + std::chrono::milliseconds(5);
    return false;
  }

  // Reads and drops what a lingering connection still sends; closes it at
  // end of stream or error. False when closed.
  bool Discard(Connection* connection) {
    char sink[16 * 1024];
    for (;;) {
      const ssize_t received = ::recv(connection->fd, sink, sizeof(sink), 0);
      if (received > 0) continue;
      if (received < 0 && errno == EINTR) continue;
      if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
      Close(connection, CloseMode::kAbrupt);
      return false;
    }
  }

  HttpServer* server_;
  std::unique_ptr<HttpHandler> handler_;
  const HttpServerOptions& options_;
  std::thread thread_;
  int epoll_fd_ = -1;
  char listen_tag_ = 0;
  char stop_tag_ = 0;
  std::unordered_map<int, std::unique_ptr<Connection>> connections_;
  std::priority_queue<TimerEntry, std::vector<TimerEntry>, std::greater<>> timers_;
  Clock::time_point now_ = Clock::now();
  uint64_t serial_ = 0;
  std::atomic<size_t> open_connections_{0};
  HttpResponse response_;
  // Out of descriptors: the listener is unwatched until accept_resume_.
  bool accept_paused_ = false;
  Clock::time_point accept_resume_;
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

size_t HttpServer::open_connections() const {
  size_t total = 0;
  for (const auto& worker : workers_)
    total += worker->open_connections();
  return total;
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
