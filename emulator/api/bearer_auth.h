// BearerAuth: which requests to the vault API are authenticated.
//
// A request passes when its "Authorization: Bearer <token>" names one of the
// static tokens the emulator was started with (--bearer-token), or an access
// token its service-account token endpoint issued that has not expired
// (AccessTokenIssuer). An issued token past its `exp` is told apart
// (kExpired), so the 401 can say that renewal, not new credentials, is
// needed. With neither static tokens nor service-account keys configured,
// every request passes (main prints a warning). Tokens are only compared,
// never logged or echoed. Immutable after construction (the issuer
// synchronises itself); thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/api/access_token_issuer.h"
#include "emulator/common/string_map.h"

namespace skyflow::emulator {

class BearerAuth {
 public:
  enum class Verdict { kAccepted, kMissing, kUnknown, kExpired };

  // `issuer` may be null (no service-account keys); it must outlive this.
  BearerAuth(const std::vector<std::string>& tokens, const AccessTokenIssuer* issuer);

  bool enabled() const { return !tokens_.empty() || issuer_ != nullptr; }
  // `authorization` is the Authorization header's value (empty if absent);
  // kMissing when it is absent or not of the Bearer scheme.
  Verdict Check(std::string_view authorization, int64_t now_seconds) const;
  // Check against the wall clock, accepted or not.
  bool Allows(std::string_view authorization) const;

 private:
  StringSet tokens_;
  const AccessTokenIssuer* issuer_;
};

}  // namespace skyflow::emulator
