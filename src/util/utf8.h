// UTF-8 validation for untrusted text before it is put into JSON.
#pragma once

#include <optional>
#include <string_view>

namespace skyflow {

// Offset of the first byte that does not belong to well-formed UTF-8 (RFC
// 3629: no overlongs, no surrogates, nothing above U+10FFFF), or nullopt.
std::optional<size_t> FindInvalidUtf8(std::string_view text);

}  // namespace skyflow
