// StringIndex: a compact hash index from a string to the entries that hold
// it, where the strings themselves live elsewhere (in a table's arena, or in
// a request being checked).
//
// An entry is a 32-bit reference chosen by the caller (a field number, a
// record number). The index stores only the reference and the key's 32-bit
// hash in one 8-byte slot (open addressing, linear probing, at most 3/4
// full), about 11 bytes per entry, against ~50 for a std::unordered_map node:
// that is what lets a table index millions of tokens. Because keys are not
// stored, lookups take a predicate that tells whether a reference's string
// equals the key; equal hashes are compared with it. Duplicate keys are
// allowed (the value index of a column that is not unique needs them);
// callers that want uniqueness check with Find before Insert.
// Not synchronised.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace skyflow::emulator {

class StringIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;
  // References must stay below this (the slot stores ref + 1; 0 means empty).
  static constexpr uint32_t kMaxRef = UINT32_MAX - 1;

  static uint32_t Hash(std::string_view key);

  // The first reference with hash `hash` for which `matches(ref)` is true,
  // or kNone.
  template <typename Matches>
  uint32_t Find(uint32_t hash, Matches&& matches) const {
    if (slots_.empty()) return kNone;
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const uint64_t slot = slots_[i];
      if (slot == 0) return kNone;
      if (static_cast<uint32_t>(slot >> 32) == hash) {
        const uint32_t ref = static_cast<uint32_t>(slot) - 1;
        if (matches(ref)) return ref;
      }
    }
  }

  // Calls `visit(ref)` for every reference with hash `hash` for which
  // `matches(ref)` is true.
  template <typename Matches, typename Visit>
  void ForEachMatch(uint32_t hash, Matches&& matches, Visit&& visit) const {
    if (slots_.empty()) return;
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const uint64_t slot = slots_[i];
      if (slot == 0) return;
      if (static_cast<uint32_t>(slot >> 32) == hash) {
        const uint32_t ref = static_cast<uint32_t>(slot) - 1;
        if (matches(ref)) visit(ref);
      }
    }
  }

  // Starts loading the slot where a lookup of `hash` begins. In a table of
  // millions of entries every lookup is a cache miss; a caller that knows
  // its next keys overlaps those misses instead of taking them one by one.
  void Prefetch(uint32_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & mask_]);
  }

  void Insert(uint32_t hash, uint32_t ref);
  // Removes the entry (hash, ref); false if there was none.
  bool Erase(uint32_t hash, uint32_t ref);

  // Empties the index and sizes it for about `expected` entries, keeping the
  // allocation when it is of the right order (per-request scratch indexes are
  // cleared for every request).
  void Reset(size_t expected = 0);

  size_t size() const { return size_; }

 private:
  static uint64_t MakeSlot(uint32_t hash, uint32_t ref) {
    return (static_cast<uint64_t>(hash) << 32) | (static_cast<uint64_t>(ref) + 1);
  }
  static size_t CapacityFor(size_t entries);
  void Rehash(size_t capacity);

  std::vector<uint64_t> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace skyflow::emulator
