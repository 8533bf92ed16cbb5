// FaultInjector: decides, per request to the vault API, whether to answer
// with an injected failure instead of processing it (--fault-429 and co).
//
// One draw per request from a per-worker generator seeded from --seed, so a
// run is reproducible as far as the order in which a worker sees requests
// is. A faulted request stores nothing. The probabilities are cumulative
// slices of [0, 1): their sum must not exceed 1 (EmulatorOptions checks).
// One injector per worker thread; not synchronised.
#pragma once

#include <cstdint>

#include "emulator/common/random.h"

namespace skyflow::emulator {

struct FaultOptions {
  double probability_429 = 0;
  double probability_503 = 0;
  double probability_500 = 0;
  double probability_408 = 0;
  // Sent as Retry-After with 429 and 503; 0 omits the header.
  int retry_after_seconds = 1;

  bool any() const {
    return probability_429 > 0 || probability_503 > 0 || probability_500 > 0 || probability_408 > 0;
  }
};

class FaultInjector {
 public:
  FaultInjector(const FaultOptions& options, uint64_t seed) : options_(options), random_(seed) {}

  // The HTTP status to answer instead of processing the request, or 0.
  int Decide();

  const FaultOptions& options() const { return options_; }

 private:
  FaultOptions options_;
  Random random_;
};

}  // namespace skyflow::emulator
