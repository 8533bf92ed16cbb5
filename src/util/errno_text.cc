#include "util/errno_text.h"

#include <cstring>

namespace skyflow {

std::string ErrnoText(int error) {
  // The GNU strerror_r (what glibc declares under C++): it returns either a
  // static string or `buffer`, filled, and never fails.
  char buffer[256];
  return ::strerror_r(error, buffer, sizeof(buffer));
}

}  // namespace skyflow
