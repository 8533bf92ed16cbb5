// StringArena: append-only storage for the values and tokens a table holds.
//
// Millions of short strings as std::string would cost a heap block each (and
// 32 bytes of object); the arena packs them into 1 MiB blocks, so a stored
// string costs its bytes and nothing else, and pointers into it stay valid
// until Clear(). Nothing is freed individually: an upsert that replaces a
// token leaves the old bytes behind, which is fine for an emulator whose
// tables live until a reset. Not synchronised (the owning table's lock
// guards it).
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace skyflow::emulator {

class StringArena {
 public:
  // Copies `first` and `second` next to each other and returns where `first`
  // starts; `second` starts first.size() bytes later.
  const char* StorePair(std::string_view first, std::string_view second);

  void Clear();

 private:
  static constexpr size_t kBlockSize = 1 << 20;

  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cursor_ = nullptr;
  size_t remaining_ = 0;
};

}  // namespace skyflow::emulator
