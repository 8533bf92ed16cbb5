#include "emulator/common/token_format.h"

#include <cstring>

#include "emulator/common/uuid.h"

namespace skyflow::emulator {
namespace {

constexpr size_t kMaxPrefix = 64;
constexpr std::string_view kPrefixForm = "prefix:";

}  // namespace

Result<TokenFormat> TokenFormat::Parse(std::string_view text) {
  TokenFormat format;
  if (text == "uuid") return format;
  if (text == "numeric16") {
    format.kind_ = Kind::kNumeric16;
    return format;
  }
  if (text.substr(0, kPrefixForm.size()) == kPrefixForm) {
    const std::string_view prefix = text.substr(kPrefixForm.size());
    bool printable = !prefix.empty() && prefix.size() <= kMaxPrefix;
    for (const char c : prefix)
      printable = printable && c > 0x20 && c < 0x7F;
    if (!printable) {
      return Status::InvalidArgument(
          "--token-format prefix:STR needs STR of 1 to 64 printable ASCII characters "
          "without spaces");
    }
    format.kind_ = Kind::kPrefixedHex;
    format.prefix_ = std::string(prefix);
    return format;
  }
  return Status::InvalidArgument("--token-format: expected uuid, numeric16 or prefix:STR, got \"" +
                                 std::string(text) + "\"");
}

size_t TokenFormat::size() const {
  switch (kind_) {
    case Kind::kUuid:
      return kUuidTextSize;
    case Kind::kNumeric16:
      return kNumericDigits;
    case Kind::kPrefixedHex:
      return prefix_.size() + kHexDigits;
  }
  return kUuidTextSize;
}

void TokenFormat::Generate(Random* random, char* out) const {
  switch (kind_) {
    case Kind::kUuid:
      FormatUuid(RandomUuid(random), out);
      return;
    case Kind::kNumeric16: {
      // 10^15 * 9 values from one 64-bit draw: the modulo bias (under 2^-10)
      // does not matter for a test stand-in's tokens.
      uint64_t number = 1000000000000000ULL + random->Next() % 9000000000000000ULL;
      for (size_t i = kNumericDigits; i-- > 0;) {
        out[i] = static_cast<char>('0' + number % 10);
        number /= 10;
      }
      return;
    }
    case Kind::kPrefixedHex: {
      static constexpr char kHex[] = "0123456789abcdef";
      std::memcpy(out, prefix_.data(), prefix_.size());
      char* digits = out + prefix_.size();
      for (size_t word = 0; word < kHexDigits / 16; ++word) {
        uint64_t bits = random->Next();
        for (size_t i = 0; i < 16; ++i, bits >>= 4)
          digits[word * 16 + i] = kHex[bits & 0x0F];
      }
      return;
    }
  }
}

std::string TokenFormat::Generate(Random* random) const {
  std::string token(size(), '\0');
  Generate(random, token.data());
  return token;
}

}  // namespace skyflow::emulator
