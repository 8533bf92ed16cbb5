// What verify concludes about one (value, token) pair of the source, from
// what the vault's detokenize answered for the token. Pure functions and a
// plain counter struct; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace skyflow {

enum class PairVerdict {
  kMatching,   // the token stands for the expected value
  kMissing,    // the vault does not know the token
  kDifferent,  // the token stands for another value
};

// "matching", "missing", "different": the reason field of the list file.
const char* PairVerdictName(PairVerdict verdict);

// `found`: the value the vault gave for the token, nullopt when it knows no
// such token. Values are compared byte for byte, as the vault stores them.
PairVerdict ComparePair(std::string_view expected_value, const std::optional<std::string>& found);

struct PairCounts {
  uint64_t checked = 0;
  uint64_t matching = 0;
  uint64_t missing = 0;
  uint64_t different = 0;

  void Add(PairVerdict verdict);
  void Add(const PairCounts& other);
  uint64_t mismatched() const { return missing + different; }
};

}  // namespace skyflow
