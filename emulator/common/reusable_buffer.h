// ClearKeepingAtMost: empties a buffer that is reused request after request.
// Its capacity is kept (no allocation once warm), unless a rare huge use
// (an export, a large chunked body) grew it past `max_capacity`: that memory
// is released rather than kept by a connection or worker for good.
#pragma once

#include <cstddef>
#include <string>

namespace skyflow::emulator {

inline void ClearKeepingAtMost(std::string* buffer, size_t max_capacity) {
  if (buffer->capacity() > max_capacity) {
    std::string().swap(*buffer);
  } else {
    buffer->clear();
  }
}

}  // namespace skyflow::emulator
