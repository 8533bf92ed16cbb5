// SHA-256 through OpenSSL's EVP interface. Thread-safe (no shared state).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace skyflow {

using Sha256Digest = std::array<uint8_t, 32>;

// Hash of the concatenation of `parts`, without copying them together.
Sha256Digest Sha256(std::initializer_list<std::string_view> parts);

}  // namespace skyflow
