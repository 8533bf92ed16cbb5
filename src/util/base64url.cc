#include "util/base64url.h"

#include <array>
#include <cstdint>

namespace skyflow {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kStandardAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr uint8_t kInvalid = 0xFF;

constexpr std::array<uint8_t, 256> MakeDecodeTable() {
  std::array<uint8_t, 256> table{};
  for (uint8_t& entry : table)
    entry = kInvalid;
  for (uint8_t i = 0; i < 64; ++i)
    table[static_cast<unsigned char>(kAlphabet[i])] = i;
  return table;
}
constexpr std::array<uint8_t, 256> kDecode = MakeDecodeTable();

// RFC 4648 encoding with `alphabet` (64 characters), padded with '=' to a
// multiple of four characters when `pad` is set.
std::string EncodeBase64(std::string_view bytes, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t group = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
    out.push_back(alphabet[(group >> 18) & 63]);
    out.push_back(alphabet[(group >> 12) & 63]);
    out.push_back(alphabet[(group >> 6) & 63]);
    out.push_back(alphabet[group & 63]);
  }
  const size_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t group = uint32_t{data[i]} << 16;
    out.push_back(alphabet[(group >> 18) & 63]);
    out.push_back(alphabet[(group >> 12) & 63]);
    if (pad) out.append("==");
  } else if (rest == 2) {
    const uint32_t group = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8);
    out.push_back(alphabet[(group >> 18) & 63]);
    out.push_back(alphabet[(group >> 12) & 63]);
    out.push_back(alphabet[(group >> 6) & 63]);
    if (pad) out.push_back('=');
  }
  return out;
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  return EncodeBase64(bytes, kAlphabet, /*pad=*/false);
}

std::string Base64Encode(std::string_view bytes) {
  return EncodeBase64(bytes, kStandardAlphabet, /*pad=*/true);
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) {
    return Status::ParseError("invalid base64url: a length of " + std::to_string(text.size()) +
                              " characters cannot encode whole bytes");
  }
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t bits = 0;
  int bit_count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const uint8_t value = kDecode[static_cast<unsigned char>(text[i])];
    if (value == kInvalid) {
      return Status::ParseError("invalid base64url: character " + std::to_string(i) +
                                (text[i] == '=' ? " is padding, which JWTs leave out"
                                                : " is outside the alphabet A-Z a-z 0-9 - _"));
    }
    bits = (bits << 6) | value;
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out.push_back(static_cast<char>((bits >> bit_count) & 0xFF));
    }
  }
  if ((bits & ((1U << bit_count) - 1)) != 0) {
    return Status::ParseError("invalid base64url: the last character carries non-zero unused bits");
  }
  return out;
}

}  // namespace skyflow
