// HttpServer: the emulator's HTTP/1.1 server, built for throughput on few
// cores rather than for generality.
//
// N worker threads, each with its own epoll instance and HttpHandler; the
// one listening socket is in every worker's epoll with EPOLLEXCLUSIVE, so
// the kernel wakes one idle worker per incoming connection, and a
// connection then lives on that worker: no locks or hand-offs on the request
// path. Connections are non-blocking and edge-triggered; each keeps its read
// buffer and parser, so pipelined requests are answered in order from one
// read, and a request split over many reads is reassembled. Keep-alive by
// default (HTTP/1.1), "Connection: close" honoured, "Expect: 100-continue"
// answered, protocol errors answered through the handler and followed by a
// graceful close (half-close, then reading what the client still sends for
// up to two seconds, so it sees the answer rather than a reset). A
// connection whose client stops reading is not read either once 4 MiB of
// answers wait for it, which bounds its memory.
//
// Time without blocking: each worker keeps a min-heap of deadlines and sleeps
// in epoll_wait until the earliest. It holds delayed answers
// (HttpResponse::delay; later requests pipelined on that connection wait
// behind them, other connections are served meanwhile), plays dropped (FIN,
// no answer) and reset (RST) deliveries, paces reads of connections whose
// handler asked for a read rate (a token bucket: reading pauses, the kernel
// buffers fill, the client's send stalls), and closes connections that time
// out: idle_timeout when nothing moves on a connection (no byte read or
// written) while the server is not itself the one waiting, header_timeout
// when a request's head is still incomplete that long after its first byte
// (answered 408, then closed; not applied to read-throttled connections).
//
// TLS (when options.tls is set): OpenSSL on the same non-blocking sockets in
// the same workers; handshake, reads and writes resume on readiness events.
// OpenSSL writes with write(2), so the process must ignore SIGPIPE (main
// does). Without TLS the per-request path is the plain one, with a single
// null test per socket call.
//
// Thread-safety: Start and Stop from one controlling thread; port() and
// open_connections() from any thread after Start. Handlers run on their
// worker's thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "emulator/http/http_handler.h"
#include "emulator/http/http_request_parser.h"
#include "emulator/http/request_id.h"
#include "emulator/http/tls_context.h"
#include "util/status.h"

namespace skyflow::emulator {

struct HttpServerOptions {
  std::string host = "127.0.0.1";  // numeric IPv4/IPv6 address or a host name
  uint16_t port = 0;               // 0: the kernel picks a free port
  int threads = 1;
  HttpRequestParser::Limits limits;
  // Close a connection on which nothing has moved this long; 0: never.
  std::chrono::milliseconds idle_timeout{60000};
  // Answer 408 and close when a request's head is incomplete this long after
  // its first byte arrived (slow-header clients); 0: never.
  std::chrono::milliseconds header_timeout{30000};
  std::shared_ptr<const TlsContext> tls;  // null: plain HTTP
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandlerFactory factory);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the workers. The port is known when it returns.
  Status Start();
  uint16_t port() const { return port_; }
  // Connections accepted and not yet closed, over all workers.
  size_t open_connections() const;
  // Stops the workers and closes every connection; idempotent.
  void Stop();

 private:
  class Worker;

  HttpServerOptions options_;
  HttpHandlerFactory factory_;
  RequestIdGenerator request_ids_;
  int listen_fd_ = -1;
  int stop_fd_ = -1;  // eventfd, readable once Stop is called
  uint16_t port_ = 0;
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace skyflow::emulator
