#include "source/record_checks.h"

#include <optional>

#include "util/utf8.h"

namespace skyflow {

std::string RecordContentProblem(std::string_view value, std::string_view token) {
  if (value.empty() && token.empty()) return "empty value and token";
  if (value.empty()) return "empty value";
  if (token.empty()) return "empty token";
  std::string reason;
  auto add_reason = [&reason](const std::string& text) {
    if (!reason.empty()) reason += "; ";
    reason += text;
  };
  // A NUL is valid UTF-8 but never part of a real value: the file is most
  // likely UTF-16, or binary.
  if (value.find('\0') != std::string_view::npos || token.find('\0') != std::string_view::npos) {
    add_reason("contains a NUL byte (is the file UTF-16?); re-export the file as UTF-8");
  }
  if (std::optional<size_t> bad = FindInvalidUtf8(value)) {
    add_reason("value is not valid UTF-8 (byte " + std::to_string(*bad + 1) +
               "); re-export the file as UTF-8");
  }
  if (std::optional<size_t> bad = FindInvalidUtf8(token)) {
    add_reason("token is not valid UTF-8 (byte " + std::to_string(*bad + 1) +
               "); re-export the file as UTF-8");
  }
  return reason;
}

std::string SqlRowProblem(std::optional<std::string_view> value,
                          std::optional<std::string_view> token) {
  if (!value && !token) return "NULL value and token";
  if (!value) return "NULL value";
  if (!token) return "NULL token";
  return RecordContentProblem(*value, *token);
}

}  // namespace skyflow
