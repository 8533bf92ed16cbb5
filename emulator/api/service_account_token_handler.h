// ServiceAccountTokenHandler: the token endpoint of spec section 6,
// `POST /v1/auth/sa/oauth/token`, which exchanges a service account's signed
// assertion for an access token.
//
// Body (JSON, as Skyflow's SDKs send it):
//   {"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer",
//    "assertion":"<RS256 JWT>","scope":"role:<id>"}      (scope optional)
// The assertion must carry `key` (a key ID configured with --sa-public-key),
// verify with that key, name the key's client as `iss` and `sub`, have an
// `exp` in the future but at most kMaxAssertionLifetimeSeconds ahead, and,
// when --sa-token-uri is set, `aud` equal to it (any `aud` otherwise).
// Answers 200 {"accessToken":"<jwt>","tokenType":"Bearer"}; 400 for a body
// that is not such a request (wrong grant_type included); 401 for an
// assertion that does not authenticate. Errors use the API's shape and say
// which check failed; the assertion and keys are never echoed.
//
// The endpoint needs no bearer token and is never faulted. One per worker
// thread; it holds only pointers to the shared, thread-safe keys and issuer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "emulator/api/access_token_issuer.h"
#include "emulator/api/service_account_keys.h"
#include "emulator/http/http_response.h"

namespace skyflow::emulator {

class ServiceAccountTokenHandler {
 public:
  static constexpr std::string_view kGrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  // Skyflow's SDKs sign assertions for 60 minutes; five more allow for a
  // client clock running ahead.
  static constexpr int64_t kMaxAssertionLifetimeSeconds = 3600 + 300;

  // `issuer` is null when no service-account key is configured (every
  // exchange then fails with 401 saying so). `token_uri` empty: any `aud`.
  ServiceAccountTokenHandler(const ServiceAccountKeys* keys, AccessTokenIssuer* issuer,
                             std::string token_uri);

  void Handle(std::string_view body, int64_t now_seconds, HttpResponse* response);

 private:
  const ServiceAccountKeys* keys_;
  AccessTokenIssuer* issuer_;
  std::string token_uri_;
};

}  // namespace skyflow::emulator
