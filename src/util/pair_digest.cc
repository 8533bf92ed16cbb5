#include "util/pair_digest.h"

#include <cstdio>

#include "util/sha256.h"

namespace skyflow {
namespace {

std::array<uint64_t, 4> Lanes(std::string_view value, std::string_view token) {
  static constexpr char kSeparator = '\0';
  const Sha256Digest digest = Sha256({value, std::string_view(&kSeparator, 1), token});
  std::array<uint64_t, 4> lanes{};
  for (size_t lane = 0; lane < 4; ++lane) {
    uint64_t word = 0;
    for (size_t byte = 0; byte < 8; ++byte) {
      word |= static_cast<uint64_t>(digest[lane * 8 + byte]) << (8 * byte);
    }
    lanes[lane] = word;
  }
  return lanes;
}

}  // namespace

void PairDigest::Add(std::string_view value, std::string_view token) {
  const auto lanes = Lanes(value, token);
  for (size_t i = 0; i < 4; ++i)
    lanes_[i] += lanes[i];
}

void PairDigest::Remove(std::string_view value, std::string_view token) {
  const auto lanes = Lanes(value, token);
  for (size_t i = 0; i < 4; ++i)
    lanes_[i] -= lanes[i];
}

void PairDigest::Merge(const PairDigest& other) {
  for (size_t i = 0; i < 4; ++i)
    lanes_[i] += other.lanes_[i];
}

std::string PairDigest::Hex() const {
  char buffer[4 * 16 + 1];
  for (size_t i = 0; i < 4; ++i) {
    std::snprintf(buffer + i * 16, 17, "%016llx", static_cast<unsigned long long>(lanes_[i]));
  }
  return std::string(buffer, 64);
}

}  // namespace skyflow
