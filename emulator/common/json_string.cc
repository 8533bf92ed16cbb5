#include "emulator/common/json_string.h"

#include <cstdint>
#include <cstring>

namespace skyflow::emulator {
namespace {

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// Non-zero when some byte of `word` is zero (the classic SWAR test).
uint64_t HasZeroByte(uint64_t word) {
  return (word - kOnes) & ~word & kHighBits;
}

// Non-zero when some byte of `word` is below 0x20.
uint64_t HasControlByte(uint64_t word) {
  return (word - kOnes * 0x20) & ~word & kHighBits;
}

bool NeedsEscape(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\';
}

}  // namespace

bool NeedsJsonEscaping(std::string_view text) {
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, sizeof(word));
    if (HasControlByte(word) | HasZeroByte(word ^ (kOnes * '"')) |
        HasZeroByte(word ^ (kOnes * '\\'))) {
      return true;
    }
  }
  for (; i < text.size(); ++i) {
    if (NeedsEscape(static_cast<unsigned char>(text[i]))) return true;
  }
  return false;
}

void WriteJsonString(JsonWriter* json, std::string_view text, std::string* scratch) {
  if (NeedsJsonEscaping(text)) {
    json->String(text);
    return;
  }
  scratch->assign(1, '"');
  scratch->append(text);
  scratch->push_back('"');
  json->Raw(*scratch);
}

}  // namespace skyflow::emulator
