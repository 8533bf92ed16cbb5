#include "emulator/store/string_index.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace skyflow::emulator {
namespace {

TEST(StringIndexTest, FindsInsertedKeysThroughTheirStrings) {
  std::vector<std::string> keys;
  StringIndex index;
  for (uint32_t i = 0; i < 1000; ++i) {
    keys.push_back("token-" + std::to_string(i));
    index.Insert(StringIndex::Hash(keys.back()), i);
  }
  EXPECT_EQ(index.size(), 1000u);
  for (uint32_t i = 0; i < 1000; ++i) {
    const uint32_t found =
        index.Find(StringIndex::Hash(keys[i]), [&](uint32_t ref) { return keys[ref] == keys[i]; });
    EXPECT_EQ(found, i);
  }
  const std::string missing = "token-1000";
  EXPECT_EQ(
      index.Find(StringIndex::Hash(missing), [&](uint32_t ref) { return keys[ref] == missing; }),
      StringIndex::kNone);
}

// Every key with the same hash: one long probe run, the hardest case for
// backward-shift deletion.
TEST(StringIndexTest, EraseKeepsCollidingEntriesReachable) {
  StringIndex index;
  constexpr uint32_t kHash = 7;
  for (uint32_t ref = 0; ref < 40; ++ref)
    index.Insert(kHash, ref);
  for (uint32_t ref = 0; ref < 40; ref += 3)
    EXPECT_TRUE(index.Erase(kHash, ref));
  EXPECT_FALSE(index.Erase(kHash, 0));
  for (uint32_t ref = 0; ref < 40; ++ref) {
    const uint32_t found = index.Find(kHash, [&](uint32_t candidate) { return candidate == ref; });
    EXPECT_EQ(found, ref % 3 == 0 ? StringIndex::kNone : ref) << ref;
  }
}

// Random inserts and erases against std::multimap, with few distinct hashes
// so that probe runs wrap around the table.
TEST(StringIndexTest, MatchesAReferenceUnderRandomOperations) {
  std::mt19937 random(12345);
  StringIndex index;
  std::multimap<uint32_t, uint32_t> reference;
  uint32_t next_ref = 0;
  for (int step = 0; step < 20000; ++step) {
    const uint32_t hash = random() % 64 * 0x01000193u;
    if (reference.empty() || random() % 3 != 0) {
      index.Insert(hash, next_ref);
      reference.emplace(hash, next_ref++);
    } else {
      auto it = reference.begin();
      std::advance(it, random() % reference.size());
      ASSERT_TRUE(index.Erase(it->first, it->second));
      reference.erase(it);
    }
  }
  ASSERT_EQ(index.size(), reference.size());
  for (const auto& [hash, ref] : reference) {
    size_t matches = 0;
    index.ForEachMatch(
        hash, [&](uint32_t candidate) { return candidate == ref; }, [&](uint32_t) { ++matches; });
    EXPECT_EQ(matches, 1u);
  }
}

TEST(StringIndexTest, ForEachMatchVisitsDuplicateKeys) {
  const std::vector<std::string> values = {"a", "b", "a", "a"};
  StringIndex index;
  for (uint32_t i = 0; i < values.size(); ++i)
    index.Insert(StringIndex::Hash(values[i]), i);
  std::vector<uint32_t> seen;
  index.ForEachMatch(
      StringIndex::Hash("a"), [&](uint32_t ref) { return values[ref] == "a"; },
      [&](uint32_t ref) { seen.push_back(ref); });
  EXPECT_EQ(seen.size(), 3u);
}

TEST(StringIndexTest, ResetEmptiesAndKeepsWorking) {
  StringIndex index;
  for (uint32_t i = 0; i < 100; ++i)
    index.Insert(i, i);
  index.Reset(10);
  EXPECT_EQ(index.size(), 0u);
  EXPECT_EQ(index.Find(5, [](uint32_t) { return true; }), StringIndex::kNone);
  index.Insert(5, 42);
  EXPECT_EQ(index.Find(5, [](uint32_t) { return true; }), 42u);
}

}  // namespace
}  // namespace skyflow::emulator
