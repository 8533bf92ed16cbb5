#include "emulator/sqlapi/keypair_claims.h"

#include <gtest/gtest.h>

namespace skyflow::emulator::sqlapi {
namespace {

constexpr int64_t kNow = 1700000000;
const KeypairIdentity kIdentity{"myorg-myaccount", "loader", "SHA256:abc="};

JwtClaims GoodClaims() {
  JwtClaims claims;
  claims.iss = "MYORG-MYACCOUNT.LOADER.SHA256:abc=";
  claims.sub = "MYORG-MYACCOUNT.LOADER";
  claims.iat = kNow - 10;
  claims.exp = kNow + 3500;
  return claims;
}

TEST(KeypairClaimsTest, AcceptsSnowflakesClaimsInAnyCase) {
  EXPECT_EQ(CheckKeypairClaims(GoodClaims(), kIdentity, kNow).kind, ClaimsVerdict::Kind::kAccepted);
  JwtClaims lower = GoodClaims();
  lower.iss = "myorg-myaccount.loader.SHA256:abc=";
  lower.sub = "myorg-myaccount.loader";
  EXPECT_EQ(CheckKeypairClaims(lower, kIdentity, kNow).kind, ClaimsVerdict::Kind::kAccepted);
}

TEST(KeypairClaimsTest, TheAccountIsTakenWithoutRegion) {
  EXPECT_EQ(KeypairAccountName("myorg-myaccount.us-east-1.aws"), "MYORG-MYACCOUNT");
  const KeypairIdentity with_region{"myorg-myaccount.us-east-1", "loader", "SHA256:abc="};
  EXPECT_EQ(CheckKeypairClaims(GoodClaims(), with_region, kNow).kind,
            ClaimsVerdict::Kind::kAccepted);
}

TEST(KeypairClaimsTest, RefusesAnotherAccountOrUser) {
  JwtClaims claims = GoodClaims();
  claims.sub = "OTHER.LOADER";
  ClaimsVerdict verdict = CheckKeypairClaims(claims, kIdentity, kNow);
  EXPECT_EQ(verdict.kind, ClaimsVerdict::Kind::kInvalid);
  EXPECT_NE(verdict.problem.find("`sub`"), std::string::npos) << verdict.problem;

  claims = GoodClaims();
  claims.iss = "MYORG-MYACCOUNT.SOMEONE.SHA256:abc=";
  verdict = CheckKeypairClaims(claims, kIdentity, kNow);
  EXPECT_EQ(verdict.kind, ClaimsVerdict::Kind::kInvalid);
  EXPECT_NE(verdict.problem.find("`iss`"), std::string::npos) << verdict.problem;
}

TEST(KeypairClaimsTest, RefusesAnotherKeysFingerprint) {
  JwtClaims claims = GoodClaims();
  claims.iss = "MYORG-MYACCOUNT.LOADER.SHA256:xyz=";
  const ClaimsVerdict verdict = CheckKeypairClaims(claims, kIdentity, kNow);
  EXPECT_EQ(verdict.kind, ClaimsVerdict::Kind::kInvalid);
  EXPECT_NE(verdict.problem.find("SHA256:xyz="), std::string::npos) << verdict.problem;
  EXPECT_NE(verdict.problem.find("SHA256:abc="), std::string::npos) << verdict.problem;
}

TEST(KeypairClaimsTest, ExpiryIsToldApart) {
  JwtClaims claims = GoodClaims();
  claims.iat = kNow - 3600;
  claims.exp = kNow;  // expired from its exp second on
  EXPECT_EQ(CheckKeypairClaims(claims, kIdentity, kNow).kind, ClaimsVerdict::Kind::kExpired);
}

TEST(KeypairClaimsTest, RefusesMissingTimesFutureIatAndLongLifetimes) {
  JwtClaims claims = GoodClaims();
  claims.iat.reset();
  EXPECT_EQ(CheckKeypairClaims(claims, kIdentity, kNow).kind, ClaimsVerdict::Kind::kInvalid);
  claims = GoodClaims();
  claims.exp.reset();
  EXPECT_EQ(CheckKeypairClaims(claims, kIdentity, kNow).kind, ClaimsVerdict::Kind::kInvalid);
  claims = GoodClaims();
  claims.iat = kNow + 61;
  claims.exp = kNow + 1000;
  EXPECT_EQ(CheckKeypairClaims(claims, kIdentity, kNow).kind, ClaimsVerdict::Kind::kInvalid);
  claims.iat = kNow + 60;  // within the allowed skew
  EXPECT_EQ(CheckKeypairClaims(claims, kIdentity, kNow).kind, ClaimsVerdict::Kind::kAccepted);
  claims = GoodClaims();
  claims.exp = *claims.iat + 3601;
  EXPECT_EQ(CheckKeypairClaims(claims, kIdentity, kNow).kind, ClaimsVerdict::Kind::kInvalid);
}

}  // namespace
}  // namespace skyflow::emulator::sqlapi
