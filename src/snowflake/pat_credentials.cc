#include "snowflake/pat_credentials.h"

namespace skyflow::snowflake {

Result<std::unique_ptr<PatCredentials>> PatCredentials::Create(std::string pat,
                                                               std::string_view user) {
  if (pat.empty()) {
    return Status::InvalidArgument(
        "the Snowflake programmatic access token (PAT) is empty: give the token that "
        "ALTER USER ... ADD PROGRAMMATIC ACCESS TOKEN (or Snowsight) showed when it was created");
  }
  for (char c : pat) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      return Status::InvalidArgument(
          "the Snowflake programmatic access token (PAT) contains a control character (a line "
          "break left at the end of a file?); give the token alone");
    }
  }
  return std::unique_ptr<PatCredentials>(new PatCredentials(std::move(pat), std::string(user)));
}

Result<std::vector<std::string>> PatCredentials::Headers() {
  return std::vector<std::string>{
      "Authorization: Bearer " + pat_,
      "X-Snowflake-Authorization-Token-Type: PROGRAMMATIC_ACCESS_TOKEN",
  };
}

bool PatCredentials::RenewAfterRejection() {
  return false;
}

std::string PatCredentials::RejectionAdvice() const {
  const std::string user = user_.empty() ? "<user>" : user_;
  return "Snowflake refused the programmatic access token (PAT). Usually a PAT is only accepted "
         "for a user subject to a network policy that allows this machine's address "
         "(CREATE NETWORK POLICY ..., then ALTER USER " +
         user +
         " SET NETWORK_POLICY = <policy>; see Snowflake's documentation on programmatic access "
         "tokens). The token may also have expired (15 days after creation by default) or been "
         "revoked: SHOW USER PROGRAMMATIC ACCESS TOKENS FOR USER " +
         user + " lists them; create a new one if needed.";
}

std::vector<std::string> PatCredentials::Secrets() const {
  return {pat_};
}

}  // namespace skyflow::snowflake
