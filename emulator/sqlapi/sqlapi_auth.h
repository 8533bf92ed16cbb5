// SqlApiAuth: who may use the emulated SQL API.
//
// "Authorization: Bearer <token>" with X-Snowflake-Authorization-Token-Type:
//   PROGRAMMATIC_ACCESS_TOKEN  the token must equal a configured PAT (--pat);
//   KEYPAIR_JWT                an RS256 JWT signed by a registered public key
//                              (--public-key-file; the fingerprint in `iss`
//                              picks the key), claims as keypair_claims.h;
//   absent                     a configured PAT, or else a token shaped like
//                              a JWT is checked as KEYPAIR_JWT (Snowflake
//                              infers the type too);
//   anything else (OAUTH)      refused: the emulator has no OAuth server.
// A refusal carries Snowflake's code (390144 invalid, 390198 expired) and a
// message saying which check failed: the real service is terser, but a test
// that fails should say why. Tokens are compared, never logged or echoed.
// Immutable after Create; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/sqlapi/keypair_claims.h"
#include "util/rsa_key.h"
#include "util/status.h"

namespace skyflow::emulator::sqlapi {

struct AuthVerdict {
  bool accepted = false;
  std::string code;  // Snowflake's error code when refused
  std::string message;
};

class SqlApiAuth {
 public:
  // Keys' fingerprints are computed here; an error names the failing key.
  static Result<SqlApiAuth> Create(std::vector<std::string> pats, std::vector<RsaPublicKey> keys,
                                   std::string account, std::string user);

  AuthVerdict Check(std::string_view authorization, std::string_view token_type,
                    int64_t now_seconds) const;

  bool has_pats() const { return !pats_.empty(); }
  size_t key_count() const { return keys_.size(); }
  const std::string& fingerprint(size_t key) const { return fingerprints_[key]; }

 private:
  SqlApiAuth() = default;
  bool IsPat(std::string_view token) const;
  AuthVerdict CheckJwt(std::string_view token, int64_t now_seconds) const;

  std::vector<std::string> pats_;
  std::vector<RsaPublicKey> keys_;
  std::vector<std::string> fingerprints_;  // one per key
  std::string account_;
  std::string user_;
};

}  // namespace skyflow::emulator::sqlapi
