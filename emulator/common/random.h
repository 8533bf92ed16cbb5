// Random: the emulator's fast pseudo-random generator (xoshiro256**), and
// DeriveSeed for giving each worker thread its own stream from one --seed.
//
// Used for fault decisions, skyflow_ids and generated tokens. It is not a
// cryptographic generator: the emulator is a test stand-in, and what matters
// is speed (a few nanoseconds per draw, no locking) and reproducibility under
// a fixed seed. One instance per thread; not synchronised.
#pragma once

#include <cstdint>

namespace skyflow::emulator {

// A well-mixed seed for stream `stream` of `seed` (SplitMix64 of both), so
// that workers 0, 1, 2... of the same --seed draw independent sequences.
uint64_t DeriveSeed(uint64_t seed, uint64_t stream);

// A seed from std::random_device, for runs without --seed.
uint64_t RandomSeed();

class Random {
 public:
  explicit Random(uint64_t seed);

  uint64_t Next();
  // Uniform in [0, 1), 53 bits of precision.
  double NextDouble() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_[4] = {};
};

}  // namespace skyflow::emulator
