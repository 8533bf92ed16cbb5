// HttpHandler: the interface between the HTTP server and what it serves.
//
// The server creates one handler per worker thread (through the factory it
// is given), and calls it only from that thread, so a handler may keep
// per-thread state (parsers, buffers, random generators) without locking;
// anything it shares with other workers must be thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "emulator/http/http_request.h"
#include "emulator/http/http_response.h"

namespace skyflow::emulator {

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;

  // Called once per request when its head has arrived, before its body is
  // read and before any "100 Continue". False: the server resets the
  // connection (once the answers before this request have been sent)
  // without reading or answering the request. `ticket` (0 unless set) comes
  // back as HttpRequest::ticket when the request is complete.
  virtual bool OnHead(std::string_view /*method*/, std::string_view /*path*/,
                      uint64_t* /*ticket*/) {
    return true;
  }

  // `response` arrives cleared; the handler sets status, body and headers.
  virtual void Handle(const HttpRequest& request, HttpResponse* response) = 0;

  // A request the server could not parse (status 400, 413, 431, 501, 505):
  // the handler writes the body in its API's error shape. The server closes
  // the connection afterwards.
  virtual void HandleProtocolError(int status, std::string_view message,
                                   std::string_view request_id, HttpResponse* response) = 0;

  // Called once per accepted connection: the most bytes per second the
  // server may read from it, 0 for no limit. Faults use it to play a server
  // that reads slowly (a client's send then stalls).
  virtual uint64_t ReadRateLimit() { return 0; }
};

using HttpHandlerFactory = std::function<std::unique_ptr<HttpHandler>(int worker_index)>;

}  // namespace skyflow::emulator
