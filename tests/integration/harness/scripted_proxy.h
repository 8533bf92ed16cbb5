// ScriptedProxy: an HTTP/1.1 server on 127.0.0.1, port 0, standing between
// the loader and the emulator, that answers each request as the test's
// script says: pass it on, pass it on and then lie about the answer (a 200
// that is not JSON, or that lists fewer records), answer for the vault
// without asking it (an HTML error page, a redirect), or trickle an answer
// that never ends. Server misbehaviour the emulator does not offer.
// One thread per connection; the script is called from those threads, one
// call at a time. Stopped (connections closed, threads joined) with the
// object.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace skyflow::testing {

struct ProxiedRequest {
  int number = 0;  // 1-based, in arrival order
  std::string method;
  std::string target;  // path and query
  std::string body;
};

struct ProxyReply {
  enum class Kind {
    kForward,         // the emulator's answer, unchanged
    kForwardThenLie,  // the emulator applies it; the client gets `status` and `body`
    kAnswer,          // `status` and `body`, the emulator never sees it
    kTrickle,         // headers, then a byte every 50 ms, never complete (30 s at most)
  };
  Kind kind = Kind::kForward;
  long status = 200;
  std::string body;
  std::vector<std::string> headers;  // "Name: value"
};

class ScriptedProxy {
 public:
  using Script = std::function<ProxyReply(const ProxiedRequest&)>;

  ScriptedProxy(std::string upstream_url, std::string bearer_token, Script script);
  ~ScriptedProxy();
  ScriptedProxy(const ScriptedProxy&) = delete;
  ScriptedProxy& operator=(const ScriptedProxy&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_.load(); }

 private:
  void AcceptLoop();
  void Serve(int fd);
  ProxyReply Decide(ProxiedRequest* request);

  std::string upstream_url_;
  std::string bearer_token_;
  Script script_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::mutex mutex_;  // script_ calls, connection_fds_, threads_
  std::vector<int> connection_fds_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace skyflow::testing
