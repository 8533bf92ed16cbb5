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
// Thread-safety: Start and Stop from one controlling thread; port() from
// any thread after Start. Handlers run on their worker's thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "emulator/http/http_handler.h"
#include "emulator/http/http_request_parser.h"
#include "emulator/http/request_id.h"
#include "util/status.h"

namespace skyflow::emulator {

struct HttpServerOptions {
  std::string host = "127.0.0.1";  // numeric IPv4/IPv6 address or a host name
  uint16_t port = 0;               // 0: the kernel picks a free port
  int threads = 1;
  HttpRequestParser::Limits limits;
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
