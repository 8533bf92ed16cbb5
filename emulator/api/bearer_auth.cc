#include "emulator/api/bearer_auth.h"

#include "emulator/common/unix_clock.h"
#include "emulator/http/http_request.h"
#include "util/ascii.h"

namespace skyflow::emulator {

BearerAuth::BearerAuth(const std::vector<std::string>& tokens, const AccessTokenIssuer* issuer)
    : tokens_(tokens.begin(), tokens.end()), issuer_(issuer) {}

BearerAuth::Verdict BearerAuth::Check(std::string_view authorization, int64_t now_seconds) const {
  if (!enabled()) return Verdict::kAccepted;
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size() ||
      !EqualsIgnoreCase(authorization.substr(0, kScheme.size()), kScheme) ||
      authorization[kScheme.size()] != ' ') {
    return Verdict::kMissing;
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ')
    token.remove_prefix(1);
  if (tokens_.find(token) != tokens_.end()) return Verdict::kAccepted;
  if (issuer_ == nullptr) return Verdict::kUnknown;
  switch (issuer_->Check(token, now_seconds)) {
    case AccessTokenIssuer::Verdict::kValid:
      return Verdict::kAccepted;
    case AccessTokenIssuer::Verdict::kExpired:
      return Verdict::kExpired;
    case AccessTokenIssuer::Verdict::kUnknown:
      return Verdict::kUnknown;
  }
  return Verdict::kUnknown;
}

bool BearerAuth::Allows(std::string_view authorization) const {
  return Check(authorization, UnixSeconds()) == Verdict::kAccepted;
}

}  // namespace skyflow::emulator
