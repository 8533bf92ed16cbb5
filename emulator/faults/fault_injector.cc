#include "emulator/faults/fault_injector.h"

namespace skyflow::emulator {

int FaultInjector::Decide() {
  if (!options_.any()) return 0;  // no draw: fault-free runs pay nothing
  const double draw = random_.NextDouble();
  double threshold = options_.probability_429;
  if (draw < threshold) return 429;
  threshold += options_.probability_503;
  if (draw < threshold) return 503;
  threshold += options_.probability_500;
  if (draw < threshold) return 500;
  threshold += options_.probability_408;
  if (draw < threshold) return 408;
  return 0;
}

}  // namespace skyflow::emulator
