// PatCredentials: a Snowflake programmatic access token (PAT) sent as the
// bearer token of every SQL API request, with the token type header
// PROGRAMMATIC_ACCESS_TOKEN.
//
// A PAT cannot be renewed by the loader, so RenewAfterRejection() is always
// false; RejectionAdvice() explains the usual causes of a refused PAT (the
// user has no network policy allowing this address; the token expired).
// Create() refuses an empty PAT, or one with a control character (a line
// break left over from a file), without quoting it. Immutable after
// construction; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "snowflake/sql_api_credentials.h"
#include "util/status.h"

namespace skyflow::snowflake {

class PatCredentials final : public SqlApiCredentials {
 public:
  // `user` (-sf-user) only makes the advice concrete; it may be empty.
  static Result<std::unique_ptr<PatCredentials>> Create(std::string pat, std::string_view user);

  Result<std::vector<std::string>> Headers() override;
  bool RenewAfterRejection() override;
  std::string RejectionAdvice() const override;
  std::vector<std::string> Secrets() const override;

 private:
  PatCredentials(std::string pat, std::string user)
      : pat_(std::move(pat)), user_(std::move(user)) {}

  const std::string pat_;
  const std::string user_;
};

}  // namespace skyflow::snowflake
