#include "emulator/sqlapi/sqlapi_faults.h"

namespace skyflow::emulator::sqlapi {

bool SqlApiFaults::Draw(double rate) {
  if (rate <= 0) return false;
  std::lock_guard<std::mutex> lock(mutex_);
  return random_.NextDouble() < rate;
}

}  // namespace skyflow::emulator::sqlapi
