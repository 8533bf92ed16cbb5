#include "util/json_syntax.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "util/ascii.h"
#include "util/utf8.h"

namespace skyflow {
namespace {

constexpr int kMaxJsonDepth = 1024;

std::string DescribeChar(std::string_view text, size_t offset) {
  if (offset >= text.size()) return "the end of the text";
  const unsigned char c = static_cast<unsigned char>(text[offset]);
  if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
  if (c == '\n') return "a line break";
  char hex[8];
  std::snprintf(hex, sizeof(hex), "0x%02x", c);
  return std::string("byte ") + hex;
}

// The UTF-16 code unit of the four hex digits at `text[offset]`, or -1 when
// they are not four hex digits.
long CodeUnitAt(std::string_view text, size_t offset) {
  if (offset + 4 > text.size()) return -1;
  long unit = 0;
  for (size_t i = offset; i < offset + 4; ++i) {
    const int digit = HexDigitValue(text[i]);
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

// Whether simdjson can hold `number` (valid JSON number syntax): an integer
// must fit in 64 bits, signed or not, and any other number in a double.
bool NumberInRange(std::string_view number) {
  if (number.find_first_of(".eE") != std::string_view::npos) {
    return std::isfinite(std::strtod(std::string(number).c_str(), nullptr));
  }
  const bool negative = number.front() == '-';
  const std::string_view digits = number.substr(negative ? 1 : 0);
  // No leading zeros, so a longer integer is a larger one.
  const std::string_view limit = negative ? "9223372036854775808" : "18446744073709551615";
  return digits.size() < limit.size() || (digits.size() == limit.size() && digits <= limit);
}

// Finds the first syntax error in JSON text and says what is wrong in terms a
// person editing the file by hand can act on (trailing commas, comments,
// single quotes and missing commas are the usual ones). simdjson reports only
// an error code, without a position, so this scanner runs on the error path to
// locate it. It checks structure and the parser's limits (number range,
// surrogate pairs); UTF-8 is checked separately.
class JsonSyntaxScanner {
 public:
  struct Error {
    size_t offset = 0;
    std::string reason;
  };

  explicit JsonSyntaxScanner(std::string_view text) : text_(text) {}

  std::optional<Error> Scan() {
    SkipSpace();
    if (AtEnd()) return Error{0, "the text is empty: expected a JSON value"};
    if (!Value(0)) return error_;
    SkipSpace();
    if (!AtEnd()) {
      Fail(pos_, "unexpected " + DescribeChar(text_, pos_) +
                     " after the end of the JSON document (an extra '}' or a missing '{'?)");
      return error_;
    }
    return std::nullopt;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  bool Fail(size_t offset, std::string reason) {
    error_ = Error{offset, std::move(reason)};
    return false;
  }

  void SkipSpace() {
    while (!AtEnd() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
                        text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool FailOnUnexpected(std::string_view expected) {
    const char c = Peek();
    if (c == '/') return Fail(pos_, "comments are not allowed in JSON");
    if (c == '\'') return Fail(pos_, "strings must be in double quotes, not single quotes");
    if (std::isalpha(static_cast<unsigned char>(c))) {
      return Fail(pos_, "unquoted text: strings must be in double quotes");
    }
    return Fail(pos_, "expected " + std::string(expected) + ", found " + DescribeChar(text_, pos_));
  }

  bool Value(int depth) {
    if (depth >= kMaxJsonDepth) return Fail(pos_, "objects and arrays are nested too deeply");
    SkipSpace();
    if (AtEnd()) return Fail(pos_, "unexpected end of the text: expected a value");
    switch (Peek()) {
      case '{':
        return Object(depth);
      case '[':
        return Array(depth);
      case '"':
        return String();
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        if (Peek() == '-' || (Peek() >= '0' && Peek() <= '9')) return Number();
        return FailOnUnexpected("a value (a string, number, object, array, true, false or null)");
    }
  }

  bool Object(int depth) {
    const size_t open = pos_++;
    SkipSpace();
    if (Peek() == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipSpace();
      if (AtEnd()) return Unclosed(open, "object", '}');
      if (Peek() != '"') return FailOnUnexpected("a key in double quotes");
      if (!String()) return false;
      SkipSpace();
      if (Peek() != ':') {
        if (AtEnd()) return Unclosed(open, "object", '}');
        return Fail(pos_, "expected ':' after the key, found " + DescribeChar(text_, pos_));
      }
      ++pos_;
      if (!Value(depth + 1)) return false;
      SkipSpace();
      if (AtEnd()) return Unclosed(open, "object", '}');
      if (Peek() == '}') {
        ++pos_;
        return true;
      }
      if (Peek() != ',') {
        std::string reason =
            "expected ',' or '}' after an object member, found " + DescribeChar(text_, pos_);
        if (Peek() == '"') reason += " (a missing comma?)";
        return Fail(pos_, std::move(reason));
      }
      const size_t comma = pos_++;
      SkipSpace();
      if (Peek() == '}') return Fail(comma, "trailing comma before '}': JSON does not allow one");
    }
  }

  bool Array(int depth) {
    const size_t open = pos_++;
    SkipSpace();
    if (Peek() == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      if (!Value(depth + 1)) return false;
      SkipSpace();
      if (AtEnd()) return Unclosed(open, "array", ']');
      if (Peek() == ']') {
        ++pos_;
        return true;
      }
      if (Peek() != ',') {
        std::string reason =
            "expected ',' or ']' after an array element, found " + DescribeChar(text_, pos_);
        if (Peek() == '{' || Peek() == '"') reason += " (a missing comma?)";
        return Fail(pos_, std::move(reason));
      }
      const size_t comma = pos_++;
      SkipSpace();
      if (Peek() == ']') return Fail(comma, "trailing comma before ']': JSON does not allow one");
    }
  }

  bool Unclosed(size_t open, std::string_view what, char closer) {
    const TextPosition opened = PositionOf(text_, open);
    return Fail(text_.size(), "unexpected end of the file: the " + std::string(what) +
                                  " opened at line " + std::to_string(opened.line) + ", column " +
                                  std::to_string(opened.column) + " is not closed with '" + closer +
                                  "'");
  }

  bool String() {
    const size_t open = pos_++;
    while (true) {
      if (AtEnd()) return Fail(open, "string not terminated: no closing double quote");
      const unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c == '\n' || c == '\r') {
        return Fail(pos_, "line break inside a string (a missing closing double quote?)");
      }
      if (c < 0x20) return Fail(pos_, "control character inside a string: write it as an escape");
      if (c == '\\') {
        ++pos_;
        if (AtEnd()) return Fail(open, "string not terminated: no closing double quote");
        const char escaped = text_[pos_];
        if (escaped == 'u') {
          const size_t escape = pos_ - 1;
          const long unit = CodeUnitAt(text_, pos_ + 1);
          if (unit < 0) return Fail(escape, "\\u must be followed by four hexadecimal digits");
          pos_ += 4;
          // The parser refuses half of a UTF-16 surrogate pair.
          if (unit >= 0xDC00 && unit <= 0xDFFF) {
            return Fail(escape, "\\u" + std::string(text_.substr(escape + 2, 4)) +
                                    " is the second half of a UTF-16 surrogate pair without "
                                    "the first; write the character itself");
          }
          if (unit >= 0xD800 && unit <= 0xDBFF) {
            const long low = text_.substr(pos_ + 1, 2) == "\\u" ? CodeUnitAt(text_, pos_ + 3) : -1;
            if (low < 0xDC00 || low > 0xDFFF) {
              return Fail(escape, "\\u" + std::string(text_.substr(escape + 2, 4)) +
                                      " is the first half of a UTF-16 surrogate pair without "
                                      "the second (\\uDC00 to \\uDFFF); write the character "
                                      "itself");
            }
            pos_ += 6;
          }
        } else if (std::string_view("\"\\/bfnrt").find(escaped) == std::string_view::npos) {
          // Not strchr: it finds the NUL that ends its list, so "\<NUL>" passed.
          const unsigned char byte = static_cast<unsigned char>(escaped);
          const std::string sequence =
              byte >= 0x20 && byte < 0x7f
                  ? "\\" + std::string(1, escaped)
                  : "(a backslash before " + DescribeChar(text_, pos_) + ")";
          return Fail(pos_ - 1,
                      "invalid escape sequence " + sequence + " (write a backslash as \\\\)");
        }
      }
      ++pos_;
    }
  }

  bool Digits() {
    const size_t start = pos_;
    while (!AtEnd() && Peek() >= '0' && Peek() <= '9')
      ++pos_;
    return pos_ > start;
  }

  bool Number() {
    const size_t start = pos_;
    if (Peek() == '-') ++pos_;
    if (Peek() == '0') {
      ++pos_;
      if (Peek() >= '0' && Peek() <= '9') return Fail(start, "numbers must not have leading zeros");
    } else if (!Digits()) {
      return Fail(start, "invalid number: expected a digit after '-'");
    }
    if (Peek() == '.') {
      ++pos_;
      if (!Digits()) return Fail(start, "invalid number: expected a digit after '.'");
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!Digits()) return Fail(start, "invalid number: expected a digit in the exponent");
    }
    if (!NumberInRange(text_.substr(start, pos_ - start))) {
      return Fail(start,
                  "number out of range: a whole number must lie between "
                  "-9223372036854775808 and 18446744073709551615, any other within +/-1.7e308");
    }
    return true;
  }

  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) {
      return Fail(
          pos_, "unquoted text: expected " + std::string(word) + ", or a string in double quotes");
    }
    pos_ += word.size();
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  Error error_;
};

}  // namespace

TextPosition PositionOf(std::string_view text, size_t offset) {
  TextPosition position;
  offset = std::min(offset, text.size());
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
  }
  return position;
}

std::optional<JsonSyntaxError> FindJsonSyntaxError(std::string_view text) {
  std::optional<JsonSyntaxScanner::Error> error = JsonSyntaxScanner(text).Scan();
  if (!error) return std::nullopt;
  return JsonSyntaxError{error->offset, std::move(error->reason)};
}

Status JsonErrorAt(std::string_view file_name, std::string_view text, size_t offset,
                   std::string_view reason) {
  const TextPosition position = PositionOf(text, offset);
  return Status::ParseError(std::string(file_name) + ":" + std::to_string(position.line) + ":" +
                            std::to_string(position.column) +
                            ": invalid JSON: " + std::string(reason));
}

Status DescribeJsonFileError(std::string_view file_name, std::string_view text,
                             std::string_view empty_hint, std::string_view parser_message) {
  if (std::optional<size_t> bad = FindInvalidUtf8(text)) {
    return JsonErrorAt(file_name, text, *bad, "the file is not valid UTF-8; save it as UTF-8");
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return JsonErrorAt(file_name, text, 0, "the file is empty: " + std::string(empty_hint));
  }
  if (std::optional<JsonSyntaxError> syntax = FindJsonSyntaxError(text)) {
    return JsonErrorAt(file_name, text, syntax->offset, syntax->reason);
  }
  return Status::ParseError(std::string(file_name) +
                            ": invalid JSON: " + std::string(parser_message));
}

}  // namespace skyflow
