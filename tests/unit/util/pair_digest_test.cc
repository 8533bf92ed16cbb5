#include "util/pair_digest.h"

#include <gtest/gtest.h>

namespace skyflow {
namespace {

TEST(PairDigestTest, EmptySetIsAllZeros) {
  EXPECT_EQ(PairDigest().Hex(), std::string(64, '0'));
}

TEST(PairDigestTest, OrderDoesNotMatter) {
  PairDigest forward, backward;
  forward.Add("a", "1");
  forward.Add("b", "2");
  backward.Add("b", "2");
  backward.Add("a", "1");
  EXPECT_EQ(forward.Hex(), backward.Hex());
}

TEST(PairDigestTest, SeparatorDistinguishesBoundaries) {
  PairDigest one, other;
  one.Add("ab", "c");
  other.Add("a", "bc");
  EXPECT_NE(one.Hex(), other.Hex());
}

TEST(PairDigestTest, RemoveUndoesAdd) {
  PairDigest digest;
  digest.Add("a", "1");
  const std::string before = digest.Hex();
  digest.Add("b", "2");
  digest.Remove("b", "2");
  EXPECT_EQ(digest.Hex(), before);
}

TEST(PairDigestTest, MatchesTheDefinitionForOnePair) {
  // `printf 'v\0t' | sha256sum` gives 135408a88e3512cf 820074851a73d993
  // 16a5b33da80926cb 44b7bb7459f8e521; each lane is those 8 bytes read
  // little-endian.
  PairDigest digest;
  digest.Add("v", "t");
  EXPECT_EQ(digest.Hex(),
            "cf12358ea8085413"
            "93d9731a85740082"
            "cb2609a83db3a516"
            "21e5f85974bbb744");
}

}  // namespace
}  // namespace skyflow
