// HttpTransport: what the dispatcher needs from the network, and nothing
// more, so that it can be driven by HttpLoop (libcurl) in production and by a
// scripted fake in unit tests.
//
// Contract: Send starts a request; its completion runs exactly once, from a
// later Poll() on the same thread, with the response or the transport
// failure. Poll waits at most `max_wait` for something to complete (less if
// Wakeup is called). Every method but Wakeup belongs to the thread that owns
// the transport; Wakeup may be called from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "net/http_exchange.h"

namespace skyflow {

class HttpTransport {
 public:
  using Completion = std::function<void(HttpResponse&&)>;

  virtual ~HttpTransport() = default;
  virtual void Send(HttpRequest request, Completion done) = 0;
  virtual void Poll(std::chrono::milliseconds max_wait) = 0;
  virtual void Wakeup() = 0;
  // Ends every request in flight at once: each completion runs, before
  // CancelAll returns, with a transport failure saying `reason`.
  virtual void CancelAll(const std::string& reason) = 0;
};

}  // namespace skyflow
