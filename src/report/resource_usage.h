// The loader's own cost, for the summary: CPU time and peak memory of this
// process, read from getrusage; and, for the metrics page, its resident
// memory now and its start time, read from /proc. Thread-safe.
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

// Resident memory of this process now (/proc/self/statm); 0 if unknown.
uint64_t CurrentResidentBytes();

// When this process started, in seconds since the Unix epoch (from
// /proc/self/stat and the boot time in /proc/stat); 0 if unknown.
double ProcessStartTimeSeconds();

}  // namespace skyflow
