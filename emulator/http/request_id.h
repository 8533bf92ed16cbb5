// RequestIdGenerator: the X-Request-Id of every response.
//
// Ids have a UUID's shape: 80 bits drawn once per process (so two emulator
// runs do not repeat each other's ids) followed by a 48-bit counter shared by
// all workers (so ids are unique within a run and show the order requests
// were answered in). Thread-safe: Next() is one relaxed atomic increment.
#pragma once

#include <atomic>
#include <cstdint>

#include "emulator/common/uuid.h"

namespace skyflow::emulator {

class RequestIdGenerator {
 public:
  explicit RequestIdGenerator(uint64_t seed);

  // Writes kUuidTextSize characters to `out`.
  void Next(char* out);

 private:
  // The random part, formatted once: only the counter's 12 hex digits (the
  // UUID's last group) are written per request.
  char prefix_text_[kUuidTextSize];
  std::atomic<uint64_t> counter_{0};
};

}  // namespace skyflow::emulator
