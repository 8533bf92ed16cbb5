// AccessTokenIssuer: the bearer tokens the token endpoint hands out for a
// verified service-account assertion, and the check of such tokens on every
// vault API request.
//
// Tokens are RS256 JWTs signed with a key generated at startup, with claims
//   {"iss":"skyflow-vault-emulator","sub":<clientID>,"clientID":<clientID>,
//    "keyID":<keyID>,"scope":<scope, when given>,"iat":<now>,"exp":<now+lifetime>}
// so a client reads `exp` from the token as it would from Skyflow's (the
// token endpoint answers no expiry field). RS256 rather than HS256 because
// util/jwt.h already signs and verifies RS256 for assertions: one algorithm,
// one code path. Restarting the emulator invalidates every token it issued.
//
// Checking must be cheap (it runs on every insert): each issued token is
// remembered with its `exp`, so a check is one hash lookup under a shared
// lock. Only a token not in that map (an expired one already pruned, or one
// this process never issued) costs a signature verification. Expired
// entries are pruned when issuing, so the map holds about the tokens alive
// at once. Thread-safe.
#pragma once

#include <cstdint>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "emulator/common/string_map.h"
#include "util/rsa_key.h"
#include "util/status.h"

namespace skyflow::emulator {

class AccessTokenIssuer {
 public:
  enum class Verdict { kValid, kExpired, kUnknown };

  // Generates the signing key (tens of milliseconds); throws
  // std::runtime_error if OpenSSL cannot, which ends the program.
  explicit AccessTokenIssuer(int64_t lifetime_seconds);

  int64_t lifetime_seconds() const { return lifetime_seconds_; }

  // `scope` may be empty (then the claim is left out).
  Result<std::string> Issue(std::string_view client_id, std::string_view key_id,
                            std::string_view scope, int64_t now_seconds);

  // kValid while now < exp; kExpired from exp on (for a token this process
  // signed); kUnknown for anything else.
  Verdict Check(std::string_view token, int64_t now_seconds) const;

 private:
  void PruneExpiredLocked(int64_t now_seconds);

  const int64_t lifetime_seconds_;
  RsaPrivateKey signing_key_;
  RsaPublicKey verifying_key_;
  mutable std::shared_mutex mutex_;
  StringMap<int64_t> issued_;  // exp
  size_t prune_at_size_ = 64;
};

}  // namespace skyflow::emulator
