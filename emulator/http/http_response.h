// HttpResponse: what a handler answers, and how the server puts it on the
// wire.
//
// The server owns one HttpResponse per worker and clears it before each
// request, so the body and header strings keep their capacity: answering a
// request allocates nothing once a worker is warm. Every response is
// application/json unless the handler says otherwise (the admin export
// answers CSV or JSON Lines) and carries X-Request-Id (see
// AppendResponseHead). Not synchronised.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace skyflow::emulator {

struct HttpResponse {
  int status = 200;
  std::string body;
  // Extra header lines, each "Name: value\r\n" (AddHeader builds them).
  std::string headers;
  // Close the connection after this response, whatever the request asked.
  bool close_connection = false;
  // A string literal (it is not copied).
  std::string_view content_type = "application/json";

  // How the server delivers the answer. Faults use the last two to play the
  // failures in which a client cannot know whether its request was applied.
  enum class Delivery {
    kSend,             // write the response (after `delay`)
    kDropConnection,   // after `delay`, close without answering (FIN)
    kResetConnection,  // after `delay`, abort the connection (RST)
  };
  Delivery delivery = Delivery::kSend;
  // Hold the answer this long before delivering it; the worker serves its
  // other connections meanwhile, and later requests pipelined on this
  // connection wait behind it, as HTTP/1.1 requires.
  std::chrono::milliseconds delay{0};

  void AddHeader(std::string_view name, std::string_view value);
  void Clear();
};

// "OK", "Too Many Requests"...; "Unknown" for codes without a phrase here.
std::string_view ReasonPhrase(int status);

// Appends the status line and headers (Content-Type, Content-Length,
// X-Request-Id, Connection, the response's own) and the blank line.
void AppendResponseHead(const HttpResponse& response, std::string_view request_id, bool keep_alive,
                        std::string* out);

}  // namespace skyflow::emulator
