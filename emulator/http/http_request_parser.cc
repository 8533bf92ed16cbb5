#include "emulator/http/http_request_parser.h"

#include <algorithm>
#include <cstring>

#include "emulator/common/reusable_buffer.h"
#include "util/ascii.h"

namespace skyflow::emulator {
namespace {

constexpr size_t kMaxChunkSizeLine = 4096;

// RFC 9110 token characters (method and header names).
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool IsToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsTokenChar);
}

// Field values: visible characters, spaces, tabs and obs-text; no CR, LF,
// NUL or other controls (they are how header injection works).
bool IsFieldValue(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && byte != '\t') || byte == 0x7F) return false;
  }
  return true;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

// Strips the '\r' of a CRLF line ending (bare LF is tolerated).
std::string_view StripCr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

HttpRequestParser::Result HttpRequestParser::Fail(int status, std::string message) {
  phase_ = Phase::kError;
  error_status_ = status;
  error_message_ = std::move(message);
  return Result::kError;
}

HttpRequestParser::Result HttpRequestParser::FailBodyTooLarge(const std::string& what) {
  return Fail(limits_.body_limit_status,
              what + " exceeds the emulator's limit of " + std::to_string(limits_.max_body_bytes) +
                  " bytes (--max-body-bytes); send fewer records per request");
}

bool HttpRequestParser::TakeHeadDone() {
  const bool done = head_done_;
  head_done_ = false;
  return done;
}

std::string_view HttpRequestParser::HeadMethod(const char* data) const {
  return std::string_view(data + method_.offset, method_.size);
}

std::string_view HttpRequestParser::HeadPath(const char* data) const {
  const std::string_view target(data + target_.offset, target_.size);
  return target.substr(0, target.find('?'));
}

bool HttpRequestParser::TakeContinueDue() {
  const bool due = continue_due_;
  continue_due_ = false;
  return due;
}

void HttpRequestParser::Reset() {
  phase_ = Phase::kHead;
  scan_ = line_start_ = head_start_ = head_end_ = 0;
  trailer_bytes_ = 0;
  content_length_ = chunk_remaining_ = 0;
  chunked_ = expect_continue_ = continue_due_ = continue_given_ = head_done_ = false;
  header_spans_.clear();
  ClearKeepingAtMost(&chunked_body_, 1 << 20);
  consumed_ = 0;
  error_status_ = 0;
  error_message_.clear();
}

HttpRequestParser::Result HttpRequestParser::Parse(const char* data, size_t size) {
  if (phase_ == Phase::kError) return Result::kError;
  if (phase_ == Phase::kDone) return Result::kComplete;
  if (phase_ == Phase::kHead) {
    if (scan_ == head_start_) {
      // RFC 9112 2.2: ignore empty lines before the request line (some
      // clients send a stray CRLF after a body).
      while (head_start_ < size && (data[head_start_] == '\r' || data[head_start_] == '\n')) {
        ++head_start_;
      }
      scan_ = line_start_ = head_start_;
    }
    for (;;) {
      const void* found = scan_ < size ? std::memchr(data + scan_, '\n', size - scan_) : nullptr;
      if (found == nullptr) {
        scan_ = size;
        if (size - head_start_ > limits_.max_header_bytes) {
          return Fail(431, "Request header section exceeds " +
                               std::to_string(limits_.max_header_bytes) + " bytes");
        }
        return Result::kIncomplete;
      }
      const size_t newline = static_cast<size_t>(static_cast<const char*>(found) - data);
      const bool empty_line =
          StripCr(std::string_view(data + line_start_, newline - line_start_)).empty();
      scan_ = line_start_ = newline + 1;
      if (empty_line) {
        head_end_ = newline + 1;
        break;
      }
    }
    if (head_end_ - head_start_ > limits_.max_header_bytes) {
      return Fail(431, "Request header section exceeds " +
                           std::to_string(limits_.max_header_bytes) + " bytes");
    }
    if (const Result result = ParseHead(data); result == Result::kError) return result;
    scan_ = head_end_;
  }

  Result result = Result::kIncomplete;
  if (phase_ == Phase::kFixedBody) {
    if (size - head_end_ >= content_length_) {
      result = Finish(data, head_end_ + static_cast<size_t>(content_length_));
    }
  } else if (phase_ == Phase::kHead) {
    result = Finish(data, head_end_);  // no body
  } else {
    result = ParseChunked(data, size);
  }
  if (result == Result::kIncomplete && expect_continue_ && !continue_given_) {
    continue_due_ = continue_given_ = true;
  }
  return result;
}

HttpRequestParser::Result HttpRequestParser::ParseHead(const char* data) {
  size_t position = head_start_;
  auto next_line = [&]() {
    const auto* newline =
        static_cast<const char*>(std::memchr(data + position, '\n', head_end_ - position));
    const size_t end = static_cast<size_t>(newline - data);
    const size_t start = position;
    position = end + 1;
    return Span{start, StripCr(std::string_view(data + start, end - start)).size()};
  };
  auto view = [&](Span span) { return std::string_view(data + span.offset, span.size); };

  const Span request_line = next_line();
  const std::string_view line = view(request_line);
  const size_t first_space = line.find(' ');
  const size_t second_space =
      first_space == std::string_view::npos ? first_space : line.find(' ', first_space + 1);
  if (second_space == std::string_view::npos) {
    return Fail(400, "Malformed request line: expected METHOD SP target SP HTTP-version");
  }
  method_ = {request_line.offset, first_space};
  target_ = {request_line.offset + first_space + 1, second_space - first_space - 1};
  const std::string_view version = line.substr(second_space + 1);
  if (!IsToken(view(method_))) return Fail(400, "Malformed request line: invalid method");
  const std::string_view target = view(target_);
  if (target.empty() || target.front() != '/') {
    return Fail(400, "Malformed request line: the target must be an absolute path");
  }
  for (const char c : target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) {
      return Fail(400, "Malformed request line: invalid character in the target");
    }
  }
  if (version == "HTTP/1.1") {
    request_.version_minor = 1;
  } else if (version == "HTTP/1.0") {
    request_.version_minor = 0;
  } else if (version.size() == 8 && version.substr(0, 5) == "HTTP/") {
    return Fail(505, "HTTP version not supported; use HTTP/1.1");
  } else {
    return Fail(400, "Malformed request line: invalid HTTP version");
  }

  bool connection_close = false;
  bool connection_keep_alive = false;
  bool has_content_length = false;
  header_spans_.clear();
  for (;;) {
    const Span header_line = next_line();
    if (header_line.size == 0) break;
    const std::string_view text = view(header_line);
    if (text.front() == ' ' || text.front() == '\t') {
      return Fail(400, "Obsolete header line folding is not accepted");
    }
    const size_t colon = text.find(':');
    if (colon == std::string_view::npos || !IsToken(text.substr(0, colon))) {
      return Fail(400, "Malformed header line: expected name: value");
    }
    const std::string_view name = text.substr(0, colon);
    const std::string_view value = Trim(text.substr(colon + 1));
    if (!IsFieldValue(value)) return Fail(400, "Invalid character in header " + std::string(name));
    if (header_spans_.size() >= limits_.max_headers) {
      return Fail(431,
                  "Too many request headers (limit " + std::to_string(limits_.max_headers) + ")");
    }
    header_spans_.push_back({Span{header_line.offset, colon},
                             Span{static_cast<size_t>(value.data() - data), value.size()}});

    if (EqualsIgnoreCase(name, "content-length")) {
      if (value.empty() || value.size() > 18 ||
          !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return Fail(400, "Invalid Content-Length");
      }
      uint64_t length = 0;
      for (const char c : value)
        length = length * 10 + static_cast<uint64_t>(c - '0');
      if (has_content_length && length != content_length_) {
        return Fail(400, "Conflicting Content-Length headers");
      }
      has_content_length = true;
      content_length_ = length;
    } else if (EqualsIgnoreCase(name, "transfer-encoding")) {
      if (!EqualsIgnoreCase(value, "chunked")) {
        return Fail(501, "Transfer-Encoding other than chunked is not supported");
      }
      if (chunked_) return Fail(400, "Transfer-Encoding: chunked given twice");
      chunked_ = true;
    } else if (EqualsIgnoreCase(name, "connection")) {
      std::string_view rest = value;
      while (!rest.empty()) {
        const size_t comma = rest.find(',');
        const std::string_view option = Trim(rest.substr(0, comma));
        if (EqualsIgnoreCase(option, "close")) connection_close = true;
        if (EqualsIgnoreCase(option, "keep-alive")) connection_keep_alive = true;
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      }
    } else if (EqualsIgnoreCase(name, "expect")) {
      expect_continue_ = request_.version_minor == 1 && EqualsIgnoreCase(value, "100-continue");
    }
  }
  if (chunked_ && has_content_length) {
    return Fail(400, "Both Content-Length and Transfer-Encoding were sent; send one");
  }
  if (has_content_length && content_length_ > limits_.max_body_bytes) {
    return FailBodyTooLarge("Request body of " + std::to_string(content_length_) + " bytes");
  }
  request_.keep_alive =
      request_.version_minor == 1 ? !connection_close : connection_keep_alive && !connection_close;
  if (chunked_) {
    phase_ = Phase::kChunkSize;
  } else if (has_content_length && content_length_ > 0) {
    phase_ = Phase::kFixedBody;
  }
  head_done_ = true;
  return Result::kIncomplete;
}

HttpRequestParser::Result HttpRequestParser::ParseChunked(const char* data, size_t size) {
  for (;;) {
    switch (phase_) {
      case Phase::kChunkSize: {
        const void* found = scan_ < size ? std::memchr(data + scan_, '\n', size - scan_) : nullptr;
        if (found == nullptr) {
          if (size - scan_ > kMaxChunkSizeLine) return Fail(400, "Chunk size line too long");
          return Result::kIncomplete;
        }
        const size_t newline = static_cast<size_t>(static_cast<const char*>(found) - data);
        const std::string_view line = StripCr(std::string_view(data + scan_, newline - scan_));
        uint64_t chunk_size = 0;
        size_t digits = 0;
        while (digits < line.size() && HexDigitValue(line[digits]) >= 0) {
          if (digits == 15) return FailBodyTooLarge("Chunked request body");
          chunk_size = chunk_size * 16 + static_cast<uint64_t>(HexDigitValue(line[digits]));
          ++digits;
        }
        const std::string_view rest = Trim(line.substr(digits));
        if (digits == 0 || (!rest.empty() && rest.front() != ';')) {
          return Fail(400, "Malformed chunk size line");
        }
        scan_ = newline + 1;
        if (chunk_size == 0) {
          phase_ = Phase::kTrailers;
          line_start_ = scan_;
          trailer_bytes_ = 0;
          break;
        }
        if (chunked_body_.size() + chunk_size > limits_.max_body_bytes) {
          return FailBodyTooLarge("Chunked request body");
        }
        chunk_remaining_ = chunk_size;
        phase_ = Phase::kChunkData;
        break;
      }
      case Phase::kChunkData: {
        const size_t available = size - scan_;
        if (available == 0) return Result::kIncomplete;
        const size_t take = static_cast<size_t>(std::min<uint64_t>(available, chunk_remaining_));
        chunked_body_.append(data + scan_, take);
        scan_ += take;
        chunk_remaining_ -= take;
        if (chunk_remaining_ > 0) return Result::kIncomplete;
        phase_ = Phase::kChunkDataEnd;
        break;
      }
      case Phase::kChunkDataEnd: {
        if (scan_ >= size) return Result::kIncomplete;
        if (data[scan_] == '\n') {
          scan_ += 1;
        } else if (data[scan_] == '\r') {
          if (scan_ + 1 >= size) return Result::kIncomplete;
          if (data[scan_ + 1] != '\n') return Fail(400, "Chunk data not followed by CRLF");
          scan_ += 2;
        } else {
          return Fail(400, "Chunk data not followed by CRLF");
        }
        phase_ = Phase::kChunkSize;
        break;
      }
      case Phase::kTrailers: {
        const void* found = scan_ < size ? std::memchr(data + scan_, '\n', size - scan_) : nullptr;
        if (found == nullptr) {
          scan_ = size;
          if (trailer_bytes_ + (size - line_start_) > limits_.max_header_bytes) {
            return Fail(431, "Chunked trailer section too large");
          }
          return Result::kIncomplete;
        }
        const size_t newline = static_cast<size_t>(static_cast<const char*>(found) - data);
        const std::string_view line =
            StripCr(std::string_view(data + line_start_, newline - line_start_));
        scan_ = line_start_ = newline + 1;
        if (line.empty()) return Finish(data, newline + 1);
        trailer_bytes_ += line.size();  // trailers are read and ignored
        if (trailer_bytes_ > limits_.max_header_bytes) {
          return Fail(431, "Chunked trailer section too large");
        }
        break;
      }
      default:
        return Fail(500, "Internal parser state error");
    }
  }
}

HttpRequestParser::Result HttpRequestParser::Finish(const char* data, size_t end) {
  auto view = [&](Span span) { return std::string_view(data + span.offset, span.size); };
  request_.method = view(method_);
  request_.target = view(target_);
  const size_t question = request_.target.find('?');
  request_.path = request_.target.substr(0, question);
  request_.query = question == std::string_view::npos ? std::string_view()
                                                      : request_.target.substr(question + 1);
  request_.headers.clear();
  for (const HeaderSpan& header : header_spans_) {
    request_.headers.push_back({view(header.name), view(header.value)});
  }
  if (chunked_) {
    request_.body = chunked_body_;
  } else {
    request_.body = std::string_view(data + head_end_, static_cast<size_t>(content_length_));
  }
  request_.request_id = {};
  consumed_ = end;
  phase_ = Phase::kDone;
  return Result::kComplete;
}

}  // namespace skyflow::emulator
