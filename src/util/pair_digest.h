// PairDigest: an order-independent fingerprint of a set of (value, token)
// pairs, so that what a vault holds can be compared with what a source held
// without sorting either side.
//
// Definition (shared with the emulator's stats endpoint and the tests): for
// each pair, SHA-256 of value, one 0x00 byte, token; the 32 bytes read as four
// little-endian uint64 lanes; lanes summed across pairs modulo 2^64; printed
// as four 16-digit lower-case hex numbers, concatenated (64 characters).
// Removal subtracts, so a store can keep the digest current as it changes.
// Not synchronised.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace skyflow {

class PairDigest {
 public:
  void Add(std::string_view value, std::string_view token);
  void Remove(std::string_view value, std::string_view token);
  void Merge(const PairDigest& other);

  std::string Hex() const;
  bool operator==(const PairDigest& other) const = default;

 private:
  std::array<uint64_t, 4> lanes_{};
};

}  // namespace skyflow
