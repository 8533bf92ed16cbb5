// FindJsonSyntaxError: where a JSON text stops being valid JSON (RFC 8259),
// to point a client at the byte that broke its request.
//
// simdjson's DOM parser, which the emulator uses for speed (it picks the
// best SIMD kernel at run time), reports what went wrong but not where; this
// small recursive-descent scanner runs only after a parse has failed, so its
// speed does not matter. It checks syntax, not UTF-8 (utf8.h does that).
// Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace skyflow::emulator {

// Offset of the first byte at which `text` cannot continue as one JSON value
// (text.size() when it ends too early), or nullopt when it is valid.
std::optional<size_t> FindJsonSyntaxError(std::string_view text);

}  // namespace skyflow::emulator
