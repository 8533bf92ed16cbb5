#include "emulator/common/random.h"

#include <random>

namespace skyflow::emulator {
namespace {

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t RotateLeft(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

}  // namespace

uint64_t DeriveSeed(uint64_t seed, uint64_t stream) {
  uint64_t state = seed;
  const uint64_t mixed_seed = SplitMix64(&state);
  state = mixed_seed ^ (stream * 0xd1b54a32d192ed03ULL);
  return SplitMix64(&state);
}

uint64_t RandomSeed() {
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}

Random::Random(uint64_t seed) {
  // SplitMix64 expansion is the seeding the xoshiro authors recommend: it
  // never yields the all-zero state.
  uint64_t state = seed;
  for (uint64_t& word : state_)
    word = SplitMix64(&state);
}

uint64_t Random::Next() {
  const uint64_t result = RotateLeft(state_[1] * 5, 7) * 9;
  const uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = RotateLeft(state_[3], 45);
  return result;
}

}  // namespace skyflow::emulator
