// The assertion a Skyflow service account signs to get an access token
// (spec section 6): an RS256 JWT whose claims are `iss` and `sub` (the
// client ID), `key` (the key ID; there is no `kid` header), `aud` (the token
// URI) and `exp`. The loader signs one from credentials.json to renew its
// token; tests sign good and deliberately bad ones. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "util/rsa_key.h"
#include "util/status.h"

namespace skyflow {

struct AssertionClaims {
  std::string iss;  // client ID
  std::string key;  // key ID
  std::string aud;  // token URI
  std::string sub;  // client ID again
  int64_t exp = 0;  // seconds since 1970; the SDKs sign for 60 minutes
};

Result<std::string> SignAssertion(const AssertionClaims& claims, const RsaPrivateKey& key);

}  // namespace skyflow
