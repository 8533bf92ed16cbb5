// HttpRequest: one parsed HTTP/1.x request, as HttpRequestParser hands it to
// a handler.
//
// Every view points into the connection's read buffer or the parser's body
// buffer, and is valid only while the handler runs. Not synchronised.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace skyflow::emulator {

struct HttpHeader {
  std::string_view name;
  std::string_view value;  // without surrounding whitespace
};

struct HttpRequest {
  std::string_view method;
  std::string_view target;  // as sent: path and query
  std::string_view path;    // target up to '?'
  std::string_view query;   // after '?', empty if none
  int version_minor = 1;    // HTTP/1.<minor>
  std::vector<HttpHeader> headers;
  std::string_view body;  // decoded (chunked bodies are reassembled)
  bool keep_alive = true;
  // Set by the server: the X-Request-Id its response will carry, so a
  // handler can quote it.
  std::string_view request_id;
  // What the handler's OnHead left for this request (0 if nothing).
  uint64_t ticket = 0;

  // The first header named `name` (compared case-insensitively), or empty.
  std::string_view Header(std::string_view name) const;
};

}  // namespace skyflow::emulator
