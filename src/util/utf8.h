// UTF-8 helpers: validation for untrusted text before it is put into JSON,
// and counting and cutting well-formed text by code point.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace skyflow {

// Offset of the first byte that does not belong to well-formed UTF-8 (RFC
// 3629: no overlongs, no surrogates, nothing above U+10FFFF), or nullopt.
std::optional<size_t> FindInvalidUtf8(std::string_view text);

// `text` with U+FFFD in place of each byte that FindInvalidUtf8 refuses, so
// that it can travel in JSON; well-formed text comes back unchanged.
std::string ReplaceInvalidUtf8(std::string_view text);

// True for a byte that continues a code point (10xxxxxx).
inline bool IsUtf8Continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Where to cut `text` to keep at most `max_bytes` bytes without splitting a
// character: `max_bytes`, or less when that would fall inside one (at most
// three bytes less: a character has at most three continuation bytes).
inline size_t Utf8CutPoint(std::string_view text, size_t max_bytes) {
  size_t cut = max_bytes < text.size() ? max_bytes : text.size();
  for (int back = 0; back < 3 && cut > 0 && cut < text.size() && IsUtf8Continuation(text[cut]);
       ++back) {
    --cut;
  }
  return cut;
}

// How many code points well-formed `text` holds.
inline size_t CountCodePoints(std::string_view text) {
  size_t count = 0;
  for (const char c : text)
    count += IsUtf8Continuation(c) ? 0 : 1;
  return count;
}

}  // namespace skyflow
