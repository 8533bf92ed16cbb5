#include "report/resource_usage.h"

#include <sys/resource.h>

namespace skyflow {
namespace {

std::chrono::microseconds ToMicros(const timeval& time) {
  return std::chrono::seconds(time.tv_sec) + std::chrono::microseconds(time.tv_usec);
}

}  // namespace

ResourceUsage CurrentResourceUsage() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  ResourceUsage result;
  result.user_cpu = ToMicros(usage.ru_utime);
  result.system_cpu = ToMicros(usage.ru_stime);
  result.peak_rss_bytes = static_cast<uint64_t>(usage.ru_maxrss) * 1024;  // Linux: KiB
  return result;
}

}  // namespace skyflow
