#include "emulator/sqlapi/sqlapi_auth.h"

#include <openssl/crypto.h>

#include <algorithm>

#include "emulator/sqlapi/public_key_fingerprint.h"
#include "util/ascii.h"
#include "util/jwt.h"

namespace skyflow::emulator::sqlapi {
namespace {

constexpr std::string_view kInvalidCode = "390144";
constexpr std::string_view kExpiredCode = "390198";

AuthVerdict Refused(std::string_view code, std::string message) {
  return {false, std::string(code), std::move(message)};
}

bool LooksLikeJwt(std::string_view token) {
  return std::count(token.begin(), token.end(), '.') == 2;
}

}  // namespace

Result<SqlApiAuth> SqlApiAuth::Create(std::vector<std::string> pats, std::vector<RsaPublicKey> keys,
                                      std::string account, std::string user) {
  SqlApiAuth auth;
  auth.pats_ = std::move(pats);
  auth.account_ = std::move(account);
  auth.user_ = std::move(user);
  for (size_t i = 0; i < keys.size(); ++i) {
    Result<std::string> fingerprint = SnowflakePublicKeyFingerprint(keys[i]);
    if (!fingerprint.ok()) {
      return Status(fingerprint.status().code(),
                    "public key " + std::to_string(i + 1) + ": " + fingerprint.status().message());
    }
    auth.fingerprints_.push_back(std::move(*fingerprint));
  }
  auth.keys_ = std::move(keys);
  return auth;
}

bool SqlApiAuth::IsPat(std::string_view token) const {
  bool found = false;
  for (const std::string& pat : pats_) {
    // Constant time per candidate: a timing side channel would let a test
    // client guess a PAT byte by byte (habits for the real thing).
    found |= pat.size() == token.size() && CRYPTO_memcmp(pat.data(), token.data(), pat.size()) == 0;
  }
  return found;
}

AuthVerdict SqlApiAuth::Check(std::string_view authorization, std::string_view token_type,
                              int64_t now_seconds) const {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.empty()) {
    return Refused(kInvalidCode,
                   "Authorization header is missing: send \"Authorization: Bearer <PAT or "
                   "key-pair JWT>\"");
  }
  if (!StartsWithIgnoreCase(authorization, kScheme)) {
    return Refused(kInvalidCode, "Authorization header must be \"Bearer <token>\"");
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ')
    token.remove_prefix(1);
  if (token.empty()) return Refused(kInvalidCode, "Authorization header has an empty token");

  if (EqualsIgnoreCase(token_type, "PROGRAMMATIC_ACCESS_TOKEN")) {
    if (IsPat(token)) return {true, {}, {}};
    return Refused(kInvalidCode, pats_.empty()
                                     ? "Programmatic access token is invalid: this emulator has no "
                                       "--pat configured"
                                     : "Programmatic access token is invalid: it is none of the "
                                       "emulator's --pat values");
  }
  if (EqualsIgnoreCase(token_type, "KEYPAIR_JWT")) return CheckJwt(token, now_seconds);
  if (!token_type.empty()) {
    return Refused(kInvalidCode,
                   "X-Snowflake-Authorization-Token-Type must be KEYPAIR_JWT or "
                   "PROGRAMMATIC_ACCESS_TOKEN on this emulator (it has no OAuth server)");
  }
  if (IsPat(token)) return {true, {}, {}};
  if (LooksLikeJwt(token)) return CheckJwt(token, now_seconds);
  return Refused(kInvalidCode,
                 "the bearer token is neither a configured PAT nor a JWT; say which with "
                 "X-Snowflake-Authorization-Token-Type");
}

AuthVerdict SqlApiAuth::CheckJwt(std::string_view token, int64_t now_seconds) const {
  constexpr std::string_view kPrefix = "JWT token is invalid. ";
  if (keys_.empty()) {
    return Refused(kInvalidCode, std::string(kPrefix) +
                                     "This emulator has no --public-key-file registered for "
                                     "key-pair authentication");
  }
  Result<DecodedJwt> decoded = DecodeJwt(token);
  if (!decoded.ok()) {
    return Refused(kInvalidCode, std::string(kPrefix) + decoded.status().message());
  }
  // The key the token claims (by the fingerprint in `iss`), else the first:
  // its signature check then says what is wrong.
  size_t key = 0;
  if (decoded->claims.iss) {
    const std::string_view claimed = IssuerFingerprint(*decoded->claims.iss);
    for (size_t i = 0; i < fingerprints_.size(); ++i) {
      if (fingerprints_[i] == claimed) key = i;
    }
  }
  Result<JwtClaims> claims = VerifyJwtRs256(token, keys_[key]);
  if (!claims.ok()) {
    return Refused(kInvalidCode, std::string(kPrefix) + claims.status().message() +
                                     " (checked against the public key with fingerprint " +
                                     fingerprints_[key] + ")");
  }
  const ClaimsVerdict verdict = CheckKeypairClaims(
      *claims, KeypairIdentity{account_, user_, fingerprints_[key]}, now_seconds);
  switch (verdict.kind) {
    case ClaimsVerdict::Kind::kAccepted:
      return {true, {}, {}};
    case ClaimsVerdict::Kind::kExpired:
      return Refused(kExpiredCode, "JWT token has expired: " + verdict.problem);
    case ClaimsVerdict::Kind::kInvalid:
      break;
  }
  return Refused(kInvalidCode, std::string(kPrefix) + verdict.problem);
}

}  // namespace skyflow::emulator::sqlapi
