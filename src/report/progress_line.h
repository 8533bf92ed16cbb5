// One line of live progress for long loads, printed every few seconds:
//   [00:12:30] loaded 1,234,567 / read 1,240,000 | 9,870 rec/s | failed 0 |
//   rejected 0 | retries 12 | 429s 3
// Pure formatting of a running LoadResult (counters read with relaxed loads).
#pragma once

#include <cstdint>
#include <string>

#include "pipeline/run_load.h"

namespace skyflow {

class ProgressLine {
 public:
  // The line for `result`; the rate is measured since the previous call.
  std::string Format(const LoadResult& result);

 private:
  uint64_t last_loaded_ = 0;
  double last_seconds_ = 0;
};

}  // namespace skyflow
