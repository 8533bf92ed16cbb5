// SqlApiCredentials: what a request to Snowflake's SQL API sends to prove who
// it comes from, behind one interface so that the statement client does not
// care whether a programmatic access token (PatCredentials) or a key-pair JWT
// (KeyPairJwtCredentials) stands behind it.
//
// Contract: Headers() gives the header lines of the next request; after a 401
// the client calls RenewAfterRejection() and tries once more only when it
// returns true; after a 401/403 it quotes RejectionAdvice(); and before
// quoting any server answer it scrubs Secrets() out of it (util/redact.h
// ScrubSecrets). Implementations never put a secret in RejectionAdvice().
//
// Thread-safety: every method may be called from several threads at once
// (the client's submit thread and its partition fetch thread).
#pragma once

#include <string>
#include <vector>

#include "util/status.h"

namespace skyflow::snowflake {

// What a request to the SQL API needs to prove who sends it.
// Thread-safe: the client calls it from its fetch thread and the submit thread.
class SqlApiCredentials {
 public:
  virtual ~SqlApiCredentials() = default;
  // Header lines for the next request: "Authorization: Bearer ...",
  // "X-Snowflake-Authorization-Token-Type: KEYPAIR_JWT|PROGRAMMATIC_ACCESS_TOKEN".
  // A JWT is re-signed here when it is within 5 minutes of expiry.
  virtual Result<std::vector<std::string>> Headers() = 0;
  // After a 401: true if new credentials were made (a JWT re-signed now), so
  // one more attempt is worthwhile; false for a PAT (retrying cannot help).
  virtual bool RenewAfterRejection() = 0;
  // What to say after a 401/403 (a PAT: "a network policy ...", a JWT: which
  // public key fingerprint and user the server must have registered).
  virtual std::string RejectionAdvice() const = 0;
  // The secret strings in use (PAT, current JWT) so that callers can scrub
  // them from any server answer before quoting it (util/redact.h ScrubSecrets).
  virtual std::vector<std::string> Secrets() const = 0;
};

}  // namespace skyflow::snowflake
