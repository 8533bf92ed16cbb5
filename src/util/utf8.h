// UTF-8 helpers: validation for untrusted text before it is put into JSON,
// and counting and cutting well-formed text by code point.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace skyflow {

// Offset of the first byte that does not belong to well-formed UTF-8 (RFC
// 3629: no overlongs, no surrogates, nothing above U+10FFFF), or nullopt.
std::optional<size_t> FindInvalidUtf8(std::string_view text);

// True for a byte that continues a code point (10xxxxxx).
inline bool IsUtf8Continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// How many code points well-formed `text` holds.
inline size_t CountCodePoints(std::string_view text) {
  size_t count = 0;
  for (const char c : text)
    count += IsUtf8Continuation(c) ? 0 : 1;
  return count;
}

}  // namespace skyflow
