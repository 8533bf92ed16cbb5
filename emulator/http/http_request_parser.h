// HttpRequestParser: incremental HTTP/1.0 and 1.1 request parsing, for a
// connection that reads whatever the socket has and may hold several
// pipelined requests, or a fraction of one, at a time.
//
// The caller passes the bytes from the start of the current request on each
// call (more of them each time); the parser remembers where it got to, so a
// request that arrives one byte per read costs linear time, not quadratic.
// Bodies: Content-Length, or Transfer-Encoding: chunked (decoded into the
// parser's own buffer; trailers are read and dropped). Refused, with the
// status to answer: a head over the size limit or with too many headers
// (431), a body over the limit (Limits::body_limit_status, 400 or 413,
// decided from Content-Length before the body is read), both Content-Length and Transfer-Encoding
// or conflicting lengths (400: the classic request-smuggling ambiguities), transfer codings other
// than chunked (501), HTTP versions other than 1.x (505), and malformed request lines, headers or
// chunks (400). After an error the connection's framing is lost: the caller answers and closes.
// Offsets, not pointers, are kept between calls, so the caller may move its
// buffer between calls. One parser per connection; not synchronised.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/http/http_request.h"

namespace skyflow::emulator {

class HttpRequestParser {
 public:
  struct Limits {
    size_t max_header_bytes = 64 * 1024;  // request line, headers; also trailers
    size_t max_headers = 128;
    uint64_t max_body_bytes = 64ULL << 20;
    // What a body over max_body_bytes gets. The vendor publishes no body
    // limit, so neither the status nor the limit is known: 400 is what the
    // vault answers for other request limits, 413 what a gateway in front
    // of it would answer. Clients must cope with both.
    int body_limit_status = 400;
  };

  enum class Result { kIncomplete, kComplete, kError };

  explicit HttpRequestParser(const Limits& limits) : limits_(limits) {}

  // `data` holds `size` bytes starting at the first byte of the current
  // request (the same bytes as the previous call, plus any new ones).
  Result Parse(const char* data, size_t size);

  // After kComplete: the request (views into `data` of the last call and into
  // the parser) and how many bytes of `data` it took.
  const HttpRequest& request() const { return request_; }
  HttpRequest* mutable_request() { return &request_; }
  size_t consumed() const { return consumed_; }

  // After kError.
  int error_status() const { return error_status_; }
  const std::string& error_message() const { return error_message_; }

  // True once per request, when its head has been parsed (whether or not its
  // body is complete). Until the request completes, HeadMethod and HeadPath
  // then read its method and path (target up to '?') from `data` of the
  // same call.
  bool TakeHeadDone();
  std::string_view HeadMethod(const char* data) const;
  std::string_view HeadPath(const char* data) const;

  // True once per request, when its head asked for "Expect: 100-continue"
  // and its body has not fully arrived: the caller sends "100 Continue".
  bool TakeContinueDue();

  // True when bytes of a request have been seen but it is not complete.
  bool InProgress() const { return phase_ != Phase::kHead || scan_ > 0; }

  // True until the current request's head is complete (the server times
  // out heads that take too long).
  bool InHead() const { return phase_ == Phase::kHead; }

  // Ready for the next request; keeps buffer capacity.
  void Reset();

 private:
  enum class Phase {
    kHead,
    kFixedBody,
    kChunkSize,
    kChunkData,
    kChunkDataEnd,
    kTrailers,
    kDone,
    kError
  };
  struct Span {
    size_t offset = 0;
    size_t size = 0;
  };
  struct HeaderSpan {
    Span name;
    Span value;
  };

  Result Fail(int status, std::string message);
  Result FailBodyTooLarge(const std::string& what);
  Result ParseHead(const char* data);
  Result ParseChunked(const char* data, size_t size);
  Result Finish(const char* data, size_t end);

  Limits limits_;
  Phase phase_ = Phase::kHead;
  size_t scan_ = 0;        // kHead: where to look for the next line; body: read position
  size_t line_start_ = 0;  // kHead and kTrailers: start of the current line
  size_t head_start_ = 0;  // after leading empty lines
  size_t head_end_ = 0;    // just past the head's empty line
  size_t trailer_bytes_ = 0;
  uint64_t content_length_ = 0;
  uint64_t chunk_remaining_ = 0;
  bool chunked_ = false;
  bool expect_continue_ = false;
  bool continue_due_ = false;
  bool head_done_ = false;
  bool continue_given_ = false;
  Span method_;
  Span target_;
  std::vector<HeaderSpan> header_spans_;
  std::string chunked_body_;
  HttpRequest request_;
  size_t consumed_ = 0;
  int error_status_ = 0;
  std::string error_message_;
};

}  // namespace skyflow::emulator
