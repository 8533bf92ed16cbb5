// Bytes as hexadecimal text and back: how files that must stay JSON (the
// error log) keep bytes that are not UTF-8. Stateless; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace skyflow {

// Two lowercase hex digits per byte.
std::string HexEncode(std::string_view bytes);

// The bytes of `hex` (pairs of digits, either case), or nullopt when its
// length is odd or it holds anything but hex digits.
std::optional<std::string> HexDecode(std::string_view hex);

}  // namespace skyflow
