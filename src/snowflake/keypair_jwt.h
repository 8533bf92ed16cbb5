// KeyPairJwtCredentials: Snowflake key-pair authentication. Each request
// carries an RS256 JWT signed with the user's private key, with the token
// type header KEYPAIR_JWT. Claims (Snowflake's documented form):
//   iss = ACCOUNT.USER.SHA256:<fingerprint of the public key>
//   sub = ACCOUNT.USER
//   iat = now, exp = now + 59 minutes (Snowflake accepts at most one hour)
// with ACCOUNT (the account identifier without region, "MYORG-MYACCOUNT") and
// USER upper-cased.
//
// Headers() re-signs when the JWT is within 5 minutes of its expiry.
// RenewAfterRejection() re-signs at once and returns true, but at most once
// per 60 seconds, so that a key the server does not know cannot make the
// client loop. RejectionAdvice() names the user, the account and the
// fingerprint that `DESC USER` must show (the fingerprint is public; the key
// and the JWT are secrets and never appear in a message).
//
// Time comes from a WallClock (net/clock.h) so that tests can move it.
// Thread-safe: the current JWT is guarded by a mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/clock.h"
#include "snowflake/sql_api_credentials.h"
#include "util/rsa_key.h"
#include "util/status.h"

namespace skyflow::snowflake {

// The PEM PKCS#8 private key file of key-pair authentication, encrypted
// ("BEGIN ENCRYPTED PRIVATE KEY") or not. An encrypted key needs
// `passphrase`; without one the error says to set
// SNOWFLAKE_PRIVATE_KEY_PASSPHRASE. Errors start with the path and never
// quote the key or the passphrase.
Result<RsaPrivateKey> LoadSnowflakePrivateKey(const std::string& path, std::string_view passphrase);

class KeyPairJwtCredentials final : public SqlApiCredentials {
 public:
  static constexpr std::chrono::seconds kLifetime{59 * 60};
  static constexpr std::chrono::seconds kRenewBeforeExpiry{5 * 60};
  static constexpr std::chrono::seconds kRejectionRenewalInterval{60};

  // `account_identifier` as SnowflakeEndpoint::account_identifier gives it
  // ("MYORG-MYACCOUNT"), `user` as -sf-user gives it (either case). Signs the
  // first JWT at once, so that a key that cannot sign fails here. `clock`
  // must outlive the credentials.
  static Result<std::unique_ptr<KeyPairJwtCredentials>> Create(
      std::string_view account_identifier, std::string_view user, RsaPrivateKey key,
      const WallClock& clock = SystemWallClock());

  Result<std::vector<std::string>> Headers() override;
  bool RenewAfterRejection() override;
  std::string RejectionAdvice() const override;
  std::vector<std::string> Secrets() const override;

  // "SHA256:..." of the public half of the key: what the server must hold as
  // the user's RSA_PUBLIC_KEY_FP.
  const std::string& fingerprint() const { return fingerprint_; }

 private:
  KeyPairJwtCredentials(std::string account, std::string user, RsaPrivateKey key,
                        std::string fingerprint, const WallClock& clock);

  int64_t NowSeconds() const;
  // Signs a JWT issued at `now` and makes it the current one.
  Status SignLocked(int64_t now);

  const std::string account_;  // upper case
  const std::string user_;     // upper case
  const RsaPrivateKey key_;
  const std::string fingerprint_;
  const WallClock& clock_;

  mutable std::mutex mutex_;
  std::string token_;                              // guarded by mutex_
  std::string previous_token_;                     // guarded by mutex_; still scrubbed from answers
  int64_t expires_at_ = 0;                         // guarded by mutex_; seconds since 1970
  std::optional<int64_t> last_rejection_renewal_;  // guarded by mutex_
};

}  // namespace skyflow::snowflake
