#include "emulator/http/request_id.h"

#include <cstring>

namespace skyflow::emulator {

RequestIdGenerator::RequestIdGenerator(uint64_t seed) {
  Random random(seed);
  FormatUuid(RandomUuid(&random), prefix_text_);
}

void RequestIdGenerator::Next(char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  constexpr size_t kCounterDigits = 12;  // 48 bits
  const uint64_t count = counter_.fetch_add(1, std::memory_order_relaxed) + 1;
  std::memcpy(out, prefix_text_, kUuidTextSize - kCounterDigits);
  for (size_t i = 0; i < kCounterDigits; ++i)
    out[kUuidTextSize - 1 - i] = kHex[(count >> (4 * i)) & 0xF];
}

}  // namespace skyflow::emulator
