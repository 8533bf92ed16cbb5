// The loader's own cost, for the summary: CPU time and peak memory of this
// process, read from getrusage. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>

namespace skyflow {

struct ResourceUsage {
  std::chrono::microseconds user_cpu{0};
  std::chrono::microseconds system_cpu{0};
  uint64_t peak_rss_bytes = 0;
};

ResourceUsage CurrentResourceUsage();

}  // namespace skyflow
