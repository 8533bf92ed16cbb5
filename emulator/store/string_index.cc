#include "emulator/store/string_index.h"

#include <algorithm>
#include <functional>

namespace skyflow::emulator {

uint32_t StringIndex::Hash(std::string_view key) {
  const uint64_t hash = std::hash<std::string_view>{}(key);
  return static_cast<uint32_t>(hash ^ (hash >> 32));
}

size_t StringIndex::CapacityFor(size_t entries) {
  size_t capacity = 16;
  while (capacity * 3 < entries * 4 + 4)
    capacity *= 2;
  return capacity;
}

void StringIndex::Insert(uint32_t hash, uint32_t ref) {
  if ((size_ + 1) * 4 > slots_.size() * 3)
    Rehash(CapacityFor(std::max<size_t>(size_ + 1, size_ * 2)));
  size_t i = hash & mask_;
  while (slots_[i] != 0)
    i = (i + 1) & mask_;
  slots_[i] = MakeSlot(hash, ref);
  ++size_;
}

bool StringIndex::Erase(uint32_t hash, uint32_t ref) {
  if (slots_.empty()) return false;
  const uint64_t wanted = MakeSlot(hash, ref);
  size_t hole = hash & mask_;
  while (slots_[hole] != wanted) {
    if (slots_[hole] == 0) return false;
    hole = (hole + 1) & mask_;
  }
  // Backward-shift deletion: move later entries of the probe run into the
  // hole when their home position allows it, so no tombstones accumulate
  // (upserts erase and insert tokens all the time).
  for (size_t next = (hole + 1) & mask_; slots_[next] != 0; next = (next + 1) & mask_) {
    const size_t home = static_cast<uint32_t>(slots_[next] >> 32) & mask_;
    const bool home_outside_gap =
        hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
    if (home_outside_gap) {
      slots_[hole] = slots_[next];
      hole = next;
    }
  }
  slots_[hole] = 0;
  --size_;
  return true;
}

void StringIndex::Reset(size_t expected) {
  const size_t wanted = CapacityFor(expected);
  if (slots_.size() < wanted || slots_.size() > wanted * 8) {
    slots_.assign(wanted, 0);
  } else {
    std::fill(slots_.begin(), slots_.end(), 0);
  }
  mask_ = slots_.size() - 1;
  size_ = 0;
}

void StringIndex::Rehash(size_t capacity) {
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(capacity, 0);
  mask_ = capacity - 1;
  for (uint64_t slot : old) {
    if (slot == 0) continue;
    size_t i = static_cast<uint32_t>(slot >> 32) & mask_;
    while (slots_[i] != 0)
      i = (i + 1) & mask_;
    slots_[i] = slot;
  }
}

}  // namespace skyflow::emulator
