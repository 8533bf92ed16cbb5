// CheckKeypairClaims: whether a key-pair JWT's claims (signature already
// verified) are those Snowflake accepts for the configured account and user.
//
//   iss = ACCOUNT.USER.SHA256:<fingerprint of the key that verified it>
//   sub = ACCOUNT.USER
//   iat present, not more than 60 s in the future
//   exp present, after now, and at most one hour after iat
//
// ACCOUNT and USER compare case-insensitively (Snowflake upper-cases them);
// the fingerprint exactly. ACCOUNT is the account identifier without region
// or cloud segments (KeypairAccountName). The answer says which check
// failed, for the 401's message. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/jwt.h"

namespace skyflow::emulator::sqlapi {

struct KeypairIdentity {
  std::string account;      // as configured (--account)
  std::string user;         // as configured (--user)
  std::string fingerprint;  // "SHA256:<base64>"
};

struct ClaimsVerdict {
  enum class Kind { kAccepted, kInvalid, kExpired };
  Kind kind = Kind::kInvalid;
  std::string problem;  // what failed, when not accepted
};

inline constexpr int64_t kMaxJwtLifetimeSeconds = 3600;
inline constexpr int64_t kMaxJwtClockSkewSeconds = 60;

// "myorg-myaccount.us-east-1" -> "MYORG-MYACCOUNT".
std::string KeypairAccountName(std::string_view account);

ClaimsVerdict CheckKeypairClaims(const JwtClaims& claims, const KeypairIdentity& identity,
                                 int64_t now_seconds);

// The fingerprint part of an `iss` ("...SHA256:abc" -> "SHA256:abc"), or
// empty: which registered key a token claims to be signed with.
std::string_view IssuerFingerprint(std::string_view iss);

}  // namespace skyflow::emulator::sqlapi
