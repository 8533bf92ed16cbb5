#include "emulator/faults/latency_model.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace skyflow::emulator {
namespace {

// A standard normal draw (Box-Muller; one of the pair is enough here).
double StandardNormal(Random* random) {
  const double u1 = 1.0 - random->NextDouble();  // (0, 1]: log is finite
  const double u2 = random->NextDouble();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace

std::chrono::milliseconds SampleLatency(const LatencySpec& spec, Random* random) {
  double milliseconds = static_cast<double>(spec.fixed.count());
  switch (spec.jitter) {
    case LatencySpec::Jitter::kUniform:
      milliseconds += spec.jitter_ms * random->NextDouble();
      break;
    case LatencySpec::Jitter::kLogNormal:
      if (spec.jitter_ms > 0)
        milliseconds += spec.jitter_ms * std::exp(spec.sigma * StandardNormal(random));
      break;
    case LatencySpec::Jitter::kNone:
      break;
  }
  return std::chrono::milliseconds(
      static_cast<int64_t>(std::min(milliseconds, static_cast<double>(kMaxLatencyMs))));
}

}  // namespace skyflow::emulator
