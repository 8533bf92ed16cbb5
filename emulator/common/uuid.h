// Uuid: a random (version 4) UUID, the shape of skyflow_ids and of the tokens
// the emulator generates when a request supplies none.
//
// Kept as 16 bytes in the store (a record costs 16 bytes for its id, not a
// 37-byte string) and formatted only when a response needs it. Value type;
// the functions are thread-safe given a per-thread Random.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "emulator/common/random.h"

namespace skyflow::emulator {

inline constexpr size_t kUuidTextSize = 36;  // 8-4-4-4-12 hex digits

struct Uuid {
  std::array<uint8_t, 16> bytes{};
  bool operator==(const Uuid&) const = default;
};

// 122 random bits with the version (4) and variant (10xx) bits set.
Uuid RandomUuid(Random* random);

// Writes the lower-case 36-character text form to `out` (no terminator).
void FormatUuid(const Uuid& uuid, char* out);
std::string UuidText(const Uuid& uuid);

// The 36-character text form (either case) back to bytes; nullopt for
// anything else. Skyflow_ids in requests come through it, so a malformed id
// is simply one that no record has.
std::optional<Uuid> ParseUuid(std::string_view text);

}  // namespace skyflow::emulator
