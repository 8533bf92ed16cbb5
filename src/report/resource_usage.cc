#include "report/resource_usage.h"

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <sstream>
#include <string>

#include "util/small_file.h"

namespace skyflow {
namespace {

constexpr size_t kProcFileBytes = 1024 * 1024;

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

uint64_t CurrentResidentBytes() {
  Result<std::string> statm = ReadSmallFile("/proc/self/statm", kProcFileBytes);
  if (!statm.ok()) return 0;
  // "size resident shared ...", in pages.
  std::istringstream fields(*statm);
  uint64_t size_pages = 0;
  uint64_t resident_pages = 0;
  if (!(fields >> size_pages >> resident_pages)) return 0;
  const long page = sysconf(_SC_PAGESIZE);
  return page > 0 ? resident_pages * static_cast<uint64_t>(page) : 0;
}

double ProcessStartTimeSeconds() {
  // Field 22 of /proc/self/stat: clock ticks from boot to the start. The
  // command name (field 2) may hold spaces, so count from its closing ')'.
  Result<std::string> stat = ReadSmallFile("/proc/self/stat", kProcFileBytes);
  if (!stat.ok()) return 0;
  const size_t name_end = stat->rfind(')');
  if (name_end == std::string::npos) return 0;
  std::istringstream fields(stat->substr(name_end + 1));
  std::string field;
  uint64_t start_ticks = 0;
  for (int number = 3; number <= 22 && fields >> field; ++number) {
    if (number == 22) std::from_chars(field.data(), field.data() + field.size(), start_ticks);
  }
  Result<std::string> system_stat = ReadSmallFile("/proc/stat", kProcFileBytes);
  if (!system_stat.ok()) return 0;
  std::istringstream lines(*system_stat);
  uint64_t boot_seconds = 0;
  for (std::string key; lines >> key;) {
    if (key == "btime") {
      lines >> boot_seconds;
      break;
    }
  }
  const long ticks_per_second = sysconf(_SC_CLK_TCK);
  if (boot_seconds == 0 || start_ticks == 0 || ticks_per_second <= 0) return 0;
  return static_cast<double>(boot_seconds) +
         static_cast<double>(start_ticks) / static_cast<double>(ticks_per_second);
}

}  // namespace skyflow
