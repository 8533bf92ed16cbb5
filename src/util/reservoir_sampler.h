// ReservoirSampler: a uniform random sample of k items from a stream of
// unknown length, in O(k) memory (Vitter's algorithm R): the first k items
// fill the reservoir; the n-th item after that (0-based position n) replaces
// a random slot with probability k / (n + 1). Every subset of k items of the
// stream is equally likely to be the sample.
//
// Reproducible: the draws come from a std::mt19937_64 seeded by the caller
// and UniformBelow, which, unlike std::uniform_int_distribution, is the
// same on every standard library, so one seed picks one sample everywhere.
// Not thread-safe: one sampler per stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace skyflow {

// A uniform integer in [0, bound) for bound > 0: rejection of the draws
// that would make the modulo favour small results.
inline uint64_t UniformBelow(std::mt19937_64& rng, uint64_t bound) {
  // 2^64 mod bound: the draws below it are the incomplete last round.
  const uint64_t skip = (0 - bound) % bound;
  for (;;) {
    const uint64_t draw = rng();
    if (draw >= skip) return draw % bound;
  }
}

template <typename T>
class ReservoirSampler {
 public:
  ReservoirSampler(size_t capacity, std::mt19937_64 rng) : capacity_(capacity), rng_(rng) {}

  // Offers the next item of the stream; it is kept or dropped.
  void Offer(T item) {
    const uint64_t position = seen_++;
    if (kept_.size() < capacity_) {
      kept_.push_back(std::move(item));
      return;
    }
    const uint64_t slot = UniformBelow(rng_, position + 1);
    if (slot < capacity_) kept_[static_cast<size_t>(slot)] = std::move(item);
  }

  uint64_t seen() const { return seen_; }
  const std::vector<T>& sample() const { return kept_; }
  // The sample, in no particular order; the sampler is empty afterwards.
  std::vector<T> Take() { return std::move(kept_); }

 private:
  size_t capacity_;
  std::mt19937_64 rng_;
  uint64_t seen_ = 0;
  std::vector<T> kept_;
};

}  // namespace skyflow
