#include "emulator/json_error_locator.h"

namespace skyflow::emulator {
namespace {

// simdjson's default maximum nesting depth.
constexpr int kMaxDepth = 1024;

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  std::optional<size_t> Run() {
    SkipWhitespace();
    if (!Value(0)) return position_;
    SkipWhitespace();
    if (position_ != text_.size()) return position_;
    return std::nullopt;
  }

 private:
  bool AtEnd() const { return position_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[position_]; }
  bool Consume(char c) {
    if (AtEnd() || text_[position_] != c) return false;
    ++position_;
    return true;
  }
  bool IsDigit() const { return !AtEnd() && Peek() >= '0' && Peek() <= '9'; }

  void SkipWhitespace() {
    while (!AtEnd()) {
      const char c = text_[position_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++position_;
    }
  }

  bool Value(int depth) {
    if (depth > kMaxDepth) return false;
    switch (Peek()) {
      case '{':
        return Object(depth + 1);
      case '[':
        return Array(depth + 1);
      case '"':
        return String();
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        return Number();
    }
  }

  bool Object(int depth) {
    ++position_;  // '{'
    SkipWhitespace();
    if (Consume('}')) return true;
    for (;;) {
      if (Peek() != '"' || !String()) return false;
      SkipWhitespace();
      if (!Consume(':')) return false;
      SkipWhitespace();
      if (!Value(depth)) return false;
      SkipWhitespace();
      if (Consume('}')) return true;
      if (!Consume(',')) return false;
      SkipWhitespace();
    }
  }

  bool Array(int depth) {
    ++position_;  // '['
    SkipWhitespace();
    if (Consume(']')) return true;
    for (;;) {
      if (!Value(depth)) return false;
      SkipWhitespace();
      if (Consume(']')) return true;
      if (!Consume(',')) return false;
      SkipWhitespace();
    }
  }

  bool String() {
    ++position_;  // opening quote
    while (!AtEnd()) {
      const auto c = static_cast<unsigned char>(text_[position_]);
      if (c == '"') {
        ++position_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        ++position_;
        const char escaped = Peek();
        if (escaped == 'u') {
          ++position_;
          for (int i = 0; i < 4; ++i) {
            const char h = Peek();
            const bool hex =
                (h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F');
            if (!hex) return false;
            ++position_;
          }
          continue;
        }
        if (escaped == '\0' ||
            std::string_view("\"\\/bfnrt").find(escaped) == std::string_view::npos) {
          return false;
        }
      }
      ++position_;
    }
    return false;
  }

  bool Number() {
    Consume('-');
    if (Consume('0')) {
      // no leading zeros
    } else if (IsDigit()) {
      while (IsDigit())
        ++position_;
    } else {
      return false;
    }
    if (Consume('.')) {
      if (!IsDigit()) return false;
      while (IsDigit())
        ++position_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++position_;
      if (Peek() == '+' || Peek() == '-') ++position_;
      if (!IsDigit()) return false;
      while (IsDigit())
        ++position_;
    }
    return true;
  }

  bool Literal(std::string_view word) {
    for (const char c : word) {
      if (!Consume(c)) return false;
    }
    return true;
  }

  std::string_view text_;
  size_t position_ = 0;
};

}  // namespace

std::optional<size_t> FindJsonSyntaxError(std::string_view text) {
  return Scanner(text).Run();
}

}  // namespace skyflow::emulator
