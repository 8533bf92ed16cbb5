#include "emulator/api/redaction.h"

#include "util/utf8.h"

namespace skyflow::emulator {
namespace {

constexpr size_t kMaskedKeepsLast = 4;

}  // namespace

std::optional<Redaction> ParseRedaction(std::string_view text) {
  if (text == "PLAIN_TEXT") return Redaction::kPlainText;
  if (text == "MASKED") return Redaction::kMasked;
  if (text == "REDACTED") return Redaction::kRedacted;
  if (text == "DEFAULT") return Redaction::kDefault;
  return std::nullopt;
}

void AppendRedacted(Redaction redaction, std::string_view value, std::string* out) {
  switch (redaction) {
    case Redaction::kPlainText:
      out->append(value);
      return;
    case Redaction::kRedacted:
      out->append("*REDACTED*");
      return;
    case Redaction::kDefault:
    case Redaction::kMasked:
      break;
  }
  const size_t code_points = CountCodePoints(value);
  if (code_points <= kMaskedKeepsLast) {
    out->append(code_points, '*');
    return;
  }
  size_t masked = code_points - kMaskedKeepsLast;
  size_t position = 0;
  while (masked > 0) {
    ++position;
    while (position < value.size() && IsUtf8Continuation(value[position]))
      ++position;
    out->push_back('*');
    --masked;
  }
  out->append(value.substr(position));
}

std::string Redacted(Redaction redaction, std::string_view value) {
  std::string shown;
  AppendRedacted(redaction, value, &shown);
  return shown;
}

}  // namespace skyflow::emulator
