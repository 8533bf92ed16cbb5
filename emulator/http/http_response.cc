#include "emulator/http/http_response.h"

#include <charconv>

#include "emulator/common/reusable_buffer.h"

namespace skyflow::emulator {

void HttpResponse::AddHeader(std::string_view name, std::string_view value) {
  headers.append(name).append(": ").append(value).append("\r\n");
}

void HttpResponse::Clear() {
  status = 200;
  ClearKeepingAtMost(&body, 4 << 20);
  headers.clear();
  close_connection = false;
  content_type = "application/json";
  delivery = Delivery::kSend;
  delay = std::chrono::milliseconds(0);
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 207:
      return "Multi-Status";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

void AppendResponseHead(const HttpResponse& response, std::string_view request_id, bool keep_alive,
                        std::string* out) {
  char number[24];
  out->append("HTTP/1.1 ");
  auto end = std::to_chars(number, number + sizeof(number), response.status).ptr;
  out->append(number, end);
  out->push_back(' ');
  out->append(ReasonPhrase(response.status));
  out->append("\r\nContent-Type: ");
  out->append(response.content_type);
  out->append("\r\nContent-Length: ");
  end = std::to_chars(number, number + sizeof(number), response.body.size()).ptr;
  out->append(number, end);
  out->append("\r\nX-Request-Id: ");
  out->append(request_id);
  out->append(keep_alive ? "\r\nConnection: keep-alive\r\n" : "\r\nConnection: close\r\n");
  out->append(response.headers);
  out->append("\r\n");
}

}  // namespace skyflow::emulator
