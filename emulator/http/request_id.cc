#include "emulator/http/request_id.h"

namespace skyflow::emulator {

RequestIdGenerator::RequestIdGenerator(uint64_t seed) {
  Random random(seed);
  prefix_ = RandomUuid(&random);
}

void RequestIdGenerator::Next(char* out) {
  const uint64_t count = counter_.fetch_add(1, std::memory_order_relaxed) + 1;
  Uuid id = prefix_;
  for (size_t i = 0; i < 6; ++i)
    id.bytes[10 + i] = static_cast<uint8_t>(count >> (40 - 8 * i));
  FormatUuid(id, out);
}

}  // namespace skyflow::emulator
