#include "emulator/common/uuid.h"

#include <cstring>

#include "util/ascii.h"

namespace skyflow::emulator {

Uuid RandomUuid(Random* random) {
  Uuid uuid;
  // Random bits need no byte order: the two draws are copied as they lie.
  const uint64_t words[2] = {random->Next(), random->Next()};
  std::memcpy(uuid.bytes.data(), words, sizeof(words));
  uuid.bytes[6] = static_cast<uint8_t>((uuid.bytes[6] & 0x0F) | 0x40);
  uuid.bytes[8] = static_cast<uint8_t>((uuid.bytes[8] & 0x3F) | 0x80);
  return uuid;
}

void FormatUuid(const Uuid& uuid, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t position = 0;
  for (size_t i = 0; i < uuid.bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[position++] = '-';
    out[position++] = kHex[uuid.bytes[i] >> 4];
    out[position++] = kHex[uuid.bytes[i] & 0x0F];
  }
}

std::string UuidText(const Uuid& uuid) {
  std::string text(kUuidTextSize, '\0');
  FormatUuid(uuid, text.data());
  return text;
}

std::optional<Uuid> ParseUuid(std::string_view text) {
  if (text.size() != kUuidTextSize) return std::nullopt;
  Uuid uuid;
  size_t position = 0;
  for (size_t i = 0; i < uuid.bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      if (text[position++] != '-') return std::nullopt;
    }
    int nibbles[2];
    for (int& nibble : nibbles) {
      nibble = HexDigitValue(text[position++]);
      if (nibble < 0) return std::nullopt;
    }
    uuid.bytes[i] = static_cast<uint8_t>(nibbles[0] << 4 | nibbles[1]);
  }
  return uuid;
}

}  // namespace skyflow::emulator
