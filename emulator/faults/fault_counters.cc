#include "emulator/faults/fault_counters.h"

namespace skyflow::emulator {

void FaultCounters::Reset() {
  for (std::atomic<uint64_t>& counter : by_kind_)
    counter.store(0, std::memory_order_relaxed);
  rate_limited_.store(0, std::memory_order_relaxed);
  slow_read_connections_.store(0, std::memory_order_relaxed);
  delayed_.store(0, std::memory_order_relaxed);
}

}  // namespace skyflow::emulator
