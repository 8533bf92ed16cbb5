// UnixSeconds: the wall clock in whole seconds since 1970, the unit of JWT
// `exp` and `iat` claims. Handlers read it once per request and pass it down,
// so the logic below them can be tested with any time. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>

namespace skyflow::emulator {

inline int64_t UnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace skyflow::emulator
