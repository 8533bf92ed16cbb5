// BearerAuth: which requests to the vault API are authenticated.
//
// A request passes when its "Authorization: Bearer <token>" names one of the
// tokens the emulator was started with; with none configured, every request
// passes (main prints a warning). Tokens are only compared, never logged or
// echoed. Immutable after construction; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace skyflow::emulator {

class BearerAuth {
 public:
  explicit BearerAuth(const std::vector<std::string>& tokens);

  bool enabled() const { return !tokens_.empty(); }
  // `authorization` is the Authorization header's value (empty if absent).
  bool Allows(std::string_view authorization) const;

 private:
  struct TransparentHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_set<std::string, TransparentHash, std::equal_to<>> tokens_;
};

}  // namespace skyflow::emulator
