#include "util/jwt.h"

#include <gtest/gtest.h>

#include <string>

#include "util/base64url.h"
#include "util/rsa_key.h"

namespace skyflow {
namespace {

constexpr std::string_view kClaims =
    R"({"iss":"client-1","key":"key-1","aud":"https://manage.example/v1/auth/sa/oauth/token",)"
    R"("sub":"client-1","exp":2000000000,"iat":1999996400})";

// Key generation costs tens of milliseconds: one pair per test program.
const RsaPrivateKey& SigningKey() {
  static const RsaPrivateKey key = *RsaPrivateKey::Generate(2048);
  return key;
}
const RsaPrivateKey& OtherKey() {
  static const RsaPrivateKey key = *RsaPrivateKey::Generate(2048);
  return key;
}
RsaPublicKey PublicOf(const RsaPrivateKey& key) {
  return *RsaPublicKey::FromPrivateKey(key);
}

std::string Token(std::string_view header_json, std::string_view claims_json,
                  std::string_view signature = "c2ln") {
  return Base64UrlEncode(header_json) + "." + Base64UrlEncode(claims_json) + "." +
         std::string(signature);
}

TEST(JwtTest, SignedTokenVerifiesAndYieldsItsClaims) {
  Result<std::string> token = SignJwtRs256(kClaims, SigningKey());
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(token->substr(0, token->find('.')), Base64UrlEncode(R"({"alg":"RS256","typ":"JWT"})"));

  Result<JwtClaims> claims = VerifyJwtRs256(*token, PublicOf(SigningKey()));
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(claims->json, kClaims);
  EXPECT_EQ(claims->iss, "client-1");
  EXPECT_EQ(claims->sub, "client-1");
  EXPECT_EQ(claims->key, "key-1");
  EXPECT_EQ(claims->aud, "https://manage.example/v1/auth/sa/oauth/token");
  EXPECT_EQ(claims->exp, 2000000000);
  EXPECT_EQ(claims->iat, 1999996400);
}

TEST(JwtTest, PublicKeyRoundTripsThroughPem) {
  Result<std::string> pem = PublicOf(SigningKey()).ToPem();
  ASSERT_TRUE(pem.ok());
  EXPECT_EQ(pem->rfind("-----BEGIN PUBLIC KEY-----", 0), 0U);
  Result<RsaPublicKey> reloaded = RsaPublicKey::FromPem(*pem);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  EXPECT_EQ(reloaded->bits(), 2048);
  EXPECT_TRUE(VerifyJwtRs256(*SignJwtRs256(kClaims, SigningKey()), *reloaded).ok());
}

TEST(JwtTest, TamperedSignatureOrPayloadDoesNotVerify) {
  const std::string token = *SignJwtRs256(kClaims, SigningKey());
  const RsaPublicKey key = PublicOf(SigningKey());

  std::string signature = *Base64UrlDecode(token.substr(token.rfind('.') + 1));
  signature[10] ^= 0x01;
  const std::string bad_signature =
      token.substr(0, token.rfind('.') + 1) + Base64UrlEncode(signature);
  Result<JwtClaims> claims = VerifyJwtRs256(bad_signature, key);
  ASSERT_FALSE(claims.ok());
  EXPECT_EQ(claims.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(claims.status().message().find("signature does not verify"), std::string::npos);

  const std::string forged_claims = R"({"iss":"client-1","sub":"client-1","exp":2100000000})";
  const size_t first = token.find('.');
  const std::string bad_payload =
      token.substr(0, first + 1) + Base64UrlEncode(forged_claims) + token.substr(token.rfind('.'));
  EXPECT_EQ(VerifyJwtRs256(bad_payload, key).status().code(), StatusCode::kUnauthenticated);
}

TEST(JwtTest, WrongKeyDoesNotVerify) {
  const std::string token = *SignJwtRs256(kClaims, SigningKey());
  Result<JwtClaims> claims = VerifyJwtRs256(token, PublicOf(OtherKey()));
  ASSERT_FALSE(claims.ok());
  EXPECT_EQ(claims.status().code(), StatusCode::kUnauthenticated);
}

TEST(JwtTest, OtherAlgorithmsAreRefusedEvenIfWellFormed) {
  const RsaPublicKey key = PublicOf(SigningKey());
  for (const char* alg : {"none", "HS256", "RS512"}) {
    const std::string token = Token(std::string(R"({"alg":")") + alg + R"("})", kClaims);
    Result<JwtClaims> claims = VerifyJwtRs256(token, key);
    ASSERT_FALSE(claims.ok()) << alg;
    EXPECT_EQ(claims.status().code(), StatusCode::kUnauthenticated) << alg;
    EXPECT_NE(claims.status().message().find(alg), std::string::npos);
  }
}

TEST(JwtTest, MalformedTokensAreParseErrorsNamingThePart) {
  const std::string header = R"({"alg":"RS256","typ":"JWT"})";
  struct Case {
    std::string token;
    std::string expected;
  };
  const Case cases[] = {
      {"", "empty"},
      {"abc", "three base64url parts"},
      {Base64UrlEncode(header) + "." + Base64UrlEncode(kClaims), "three base64url parts"},
      {Token(header, kClaims) + ".extra", "more than three parts"},
      {"." + Base64UrlEncode(kClaims) + ".c2ln", "header is empty"},
      {Base64UrlEncode(header) + "..c2ln", "payload is empty"},
      {Token(header, kClaims, ""), "signature is empty"},
      {Base64UrlEncode(header) + ".e30=.c2ln", "payload is invalid base64url"},
      {"eyJ*." + Base64UrlEncode(kClaims) + ".c2ln", "header is invalid base64url"},
      {Token(header, kClaims, "c2l"), "signature is invalid base64url"},
      {Token("{\"alg\":", kClaims), "header is not JSON"},
      {Token(R"(["RS256"])", kClaims), "header is not a JSON object"},
      {Token(R"({"typ":"JWT"})", kClaims), "no string \"alg\""},
      {Token(header, R"({"exp":)"), "payload is not JSON"},
      {Token(header, "42"), "payload is not a JSON object"},
      {Token(header, R"({"exp":"tomorrow"})"), "claim \"exp\" is not a number"},
      {Token(header, R"({"iss":7})"), "claim \"iss\" is not a string"},
  };
  const RsaPublicKey key = PublicOf(SigningKey());
  for (const Case& c : cases) {
    Result<DecodedJwt> decoded = DecodeJwt(c.token);
    ASSERT_FALSE(decoded.ok()) << c.expected;
    EXPECT_EQ(decoded.status().code(), StatusCode::kParseError) << c.expected;
    EXPECT_NE(decoded.status().message().find(c.expected), std::string::npos)
        << decoded.status().message();
    EXPECT_EQ(VerifyJwtRs256(c.token, key).status().code(), StatusCode::kParseError);
  }
}

TEST(JwtTest, DecodeReadsClaimsWithoutAKey) {
  Result<DecodedJwt> decoded = DecodeJwt(*SignJwtRs256(kClaims, OtherKey()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->alg, "RS256");
  EXPECT_EQ(decoded->claims.exp, 2000000000);
  // A fractional NumericDate is allowed (RFC 7519 section 2) and truncated;
  // an array audience is not read as a string.
  decoded = DecodeJwt(Token(R"({"alg":"RS256"})", R"({"exp":1700000000.75,"aud":["a","b"]})"));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->claims.exp, 1700000000);
  EXPECT_FALSE(decoded->claims.aud.has_value());
}

TEST(JwtTest, ExpiryIsCheckedAgainstTheGivenClock) {
  JwtClaims claims;
  EXPECT_EQ(CheckJwtExpiry(claims, 100).code(), StatusCode::kUnauthenticated);  // no exp
  claims.exp = 100;
  EXPECT_TRUE(CheckJwtExpiry(claims, 99).ok());
  const Status at_exp = CheckJwtExpiry(claims, 100);
  EXPECT_EQ(at_exp.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(at_exp.message().find("expired"), std::string::npos);
  EXPECT_FALSE(CheckJwtExpiry(claims, 160).ok());
}

TEST(JwtTest, SigningRefusesClaimsThatAreNotAnObject) {
  EXPECT_EQ(SignJwtRs256("[1]", SigningKey()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SignJwtRs256("{", SigningKey()).status().code(), StatusCode::kInvalidArgument);
}

TEST(RsaKeyTest, LoadsPemAndRefusesWhatIsNotAKey) {
  EXPECT_EQ(RsaPublicKey::FromPem("hello").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RsaPrivateKey::FromPem("hello").status().code(), StatusCode::kInvalidArgument);
  const Status broken =
      RsaPublicKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
          .status();
  EXPECT_EQ(broken.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(broken.message().find("cannot be decoded"), std::string::npos);
  EXPECT_EQ(RsaPrivateKey::FromPem("-----BEGIN ENCRYPTED PRIVATE KEY-----\n").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(RsaPublicKey::FromPemFile("/nonexistent/key.pem").status().code(),
            StatusCode::kIoError);
  EXPECT_FALSE(RsaPrivateKey::Generate(1024).ok());
}

}  // namespace
}  // namespace skyflow
