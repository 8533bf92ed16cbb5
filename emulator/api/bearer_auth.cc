#include "emulator/api/bearer_auth.h"

#include "emulator/http/http_request.h"

namespace skyflow::emulator {

BearerAuth::BearerAuth(const std::vector<std::string>& tokens)
    : tokens_(tokens.begin(), tokens.end()) {}

bool BearerAuth::Allows(std::string_view authorization) const {
  if (tokens_.empty()) return true;
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size() ||
      !EqualsIgnoreCase(authorization.substr(0, kScheme.size()), kScheme) ||
      authorization[kScheme.size()] != ' ') {
    return false;
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ')
    token.remove_prefix(1);
  return tokens_.find(token) != tokens_.end();
}

}  // namespace skyflow::emulator
