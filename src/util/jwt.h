// JSON Web Tokens (RFC 7519) in compact form, signed with RS256 (RSASSA
// PKCS#1 v1.5 with SHA-256, RFC 7518 section 3.3): the service-account
// assertion a client signs, and the access token a token endpoint answers.
//
// SignJwtRs256 writes the header {"alg":"RS256","typ":"JWT"} and the claims
// given. DecodeJwt reads a token without checking its signature (for a client
// reading the `exp` of its own access token, or a server finding which key an
// assertion names before verifying it); VerifyJwtRs256 decodes and checks the
// signature against a public key, and refuses any other `alg` (including
// "none"). Expiry is a separate check, against a clock the caller gives.
//
// Malformed tokens are kParseError, a signature or `alg` that does not verify
// is kUnauthenticated, an expired token kUnauthenticated. Messages name the
// part and the problem; they never quote the token, its signature or a key.
// Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/rsa_key.h"
#include "util/status.h"

namespace skyflow {

// The claims the project reads, taken from the payload when present. A
// registered claim of the wrong type (an `exp` that is not a number, an
// `iss` that is not a string) makes the token malformed rather than absent.
struct JwtClaims {
  std::string json;  // the whole payload, decoded
  std::optional<std::string> iss;
  std::optional<std::string> sub;
  std::optional<std::string> aud;  // only the single-string form
  std::optional<std::string> key;  // Skyflow's key ID claim (no `kid` header)
  std::optional<int64_t> exp;      // seconds since 1970 (fractions dropped)
  std::optional<int64_t> iat;
};

struct DecodedJwt {
  std::string alg;  // from the header
  JwtClaims claims;
};

// `claims_json` must be a JSON object; it is signed byte for byte as given.
Result<std::string> SignJwtRs256(std::string_view claims_json, const RsaPrivateKey& key);

// Structure only: three base64url parts, a header object with a string
// `alg`, a payload object. The signature is NOT checked.
Result<DecodedJwt> DecodeJwt(std::string_view token);

// DecodeJwt, then `alg` must be RS256 and the signature must verify with `key`.
Result<JwtClaims> VerifyJwtRs256(std::string_view token, const RsaPublicKey& key);

// kUnauthenticated unless `exp` is present and later than `now_seconds`
// (seconds since 1970): a token is expired from its `exp` second on.
Status CheckJwtExpiry(const JwtClaims& claims, int64_t now_seconds);

}  // namespace skyflow
