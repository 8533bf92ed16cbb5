#include "emulator/api/bearer_auth.h"

#include <gtest/gtest.h>

#include <string>

#include "util/jwt.h"
#include "util/rsa_key.h"

namespace skyflow::emulator {
namespace {

using Verdict = BearerAuth::Verdict;
constexpr int64_t kNow = 1'800'000'000;

TEST(BearerAuthTest, WithNothingConfiguredEveryRequestPasses) {
  const BearerAuth auth({}, nullptr);
  EXPECT_FALSE(auth.enabled());
  EXPECT_EQ(auth.Check("", kNow), Verdict::kAccepted);
  EXPECT_TRUE(auth.Allows("Bearer anything"));
}

TEST(BearerAuthTest, StaticTokens) {
  const BearerAuth auth({"static-1"}, nullptr);
  EXPECT_TRUE(auth.enabled());
  EXPECT_EQ(auth.Check("Bearer static-1", kNow), Verdict::kAccepted);
  EXPECT_EQ(auth.Check("bearer   static-1", kNow), Verdict::kAccepted);
  EXPECT_EQ(auth.Check("Bearer static-2", kNow), Verdict::kUnknown);
  EXPECT_EQ(auth.Check("", kNow), Verdict::kMissing);
  EXPECT_EQ(auth.Check("Basic c3RhdGljLTE=", kNow), Verdict::kMissing);
  EXPECT_TRUE(auth.Allows("Bearer static-1"));
  EXPECT_FALSE(auth.Allows("Bearer static-2"));
}

TEST(BearerAuthTest, IssuedTokensPassUntilTheyExpire) {
  AccessTokenIssuer issuer(60);
  const BearerAuth auth({"static-1"}, &issuer);
  const std::string token = *issuer.Issue("client-1", "key-1", "", kNow);
  EXPECT_EQ(auth.Check("Bearer " + token, kNow), Verdict::kAccepted);
  EXPECT_EQ(auth.Check("Bearer " + token, kNow + 59), Verdict::kAccepted);
  EXPECT_EQ(auth.Check("Bearer " + token, kNow + 60), Verdict::kExpired);
  EXPECT_EQ(auth.Check("Bearer static-1", kNow + 60), Verdict::kAccepted);

  // A token of the same shape signed by another key is unknown, not expired.
  const RsaPrivateKey stranger = *RsaPrivateKey::Generate(2048);
  const std::string forged =
      *SignJwtRs256(R"({"sub":"client-1","exp":)" + std::to_string(kNow - 10) + "}", stranger);
  EXPECT_EQ(auth.Check("Bearer " + forged, kNow), Verdict::kUnknown);
  std::string altered = token;
  altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(auth.Check("Bearer " + altered, kNow), Verdict::kUnknown);
}

TEST(BearerAuthTest, ExpiredTokensStayExpiredAfterBeingPruned) {
  AccessTokenIssuer issuer(60);
  const BearerAuth auth({}, &issuer);
  const std::string first = *issuer.Issue("client-1", "key-1", "", kNow);
  // Enough later issues to trigger a prune, which drops `first` from the map.
  for (int i = 0; i < 130; ++i)
    ASSERT_TRUE(issuer.Issue("client-1", "key-1", "", kNow + 100 + i).ok());
  EXPECT_EQ(auth.Check("Bearer " + first, kNow + 300), Verdict::kExpired);
  EXPECT_EQ(auth.Check("Bearer " + first, kNow + 1), Verdict::kAccepted);
}

}  // namespace
}  // namespace skyflow::emulator
