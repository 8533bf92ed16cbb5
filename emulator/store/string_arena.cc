#include "emulator/store/string_arena.h"

#include <cstring>

namespace skyflow::emulator {

const char* StringArena::StorePair(std::string_view first, std::string_view second) {
  const size_t size = first.size() + second.size();
  char* destination = nullptr;
  if (size > kBlockSize / 4) {
    // A large string gets a block of its own, so it does not waste the rest
    // of the current block.
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(size == 0 ? 1 : size));
    destination = blocks_.back().get();
  } else {
    if (size > remaining_) {
      blocks_.push_back(std::make_unique_for_overwrite<char[]>(kBlockSize));
      cursor_ = blocks_.back().get();
      remaining_ = kBlockSize;
    }
    destination = cursor_;
    cursor_ += size;
    remaining_ -= size;
  }
  if (!first.empty()) std::memcpy(destination, first.data(), first.size());
  if (!second.empty()) std::memcpy(destination + first.size(), second.data(), second.size());
  return destination;
}

void StringArena::Clear() {
  blocks_.clear();
  cursor_ = nullptr;
  remaining_ = 0;
}

}  // namespace skyflow::emulator
