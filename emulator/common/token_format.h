// TokenFormat: the shape of the tokens the emulator generates for fields
// that arrive without one (byot DISABLE, or ENABLE with the token left out),
// chosen with --token-format:
//   uuid          36-character lower-case version 4 UUID (the default, and
//                 what the emulator always generated before the flag)
//   numeric16     16 random decimal digits, not starting with 0: the shape of
//                 a format-preserving token for a card number
//   prefix:STR    STR followed by 32 random lower-case hex digits (128 bits);
//                 STR is 1 to 64 printable ASCII characters
// Every generated token of a format has the same length (size()), which lets
// the insert parser reserve their storage in one block. Uniqueness per column
// is the table's business (it draws again on a clash). Immutable after
// parsing; Generate is thread-safe given a per-thread Random.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "emulator/common/random.h"
#include "util/status.h"

namespace skyflow::emulator {

class TokenFormat {
 public:
  enum class Kind { kUuid, kNumeric16, kPrefixedHex };

  TokenFormat() = default;  // uuid

  // Errors are kInvalidArgument, naming the accepted forms.
  static Result<TokenFormat> Parse(std::string_view text);

  Kind kind() const { return kind_; }
  size_t size() const;
  // Writes size() characters to `out` (no terminator).
  void Generate(Random* random, char* out) const;
  std::string Generate(Random* random) const;

 private:
  static constexpr size_t kHexDigits = 32;
  static constexpr size_t kNumericDigits = 16;

  Kind kind_ = Kind::kUuid;
  std::string prefix_;
};

}  // namespace skyflow::emulator
