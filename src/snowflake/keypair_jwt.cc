#include "snowflake/keypair_jwt.h"

#include <openssl/crypto.h>

#include <cstdlib>

#include "util/ascii.h"
#include "util/json_writer.h"
#include "util/jwt.h"
#include "util/small_file.h"

namespace skyflow::snowflake {
namespace {

// A PEM RSA key of 16384 bits is about 12 KiB.
constexpr size_t kMaxKeyFileBytes = 64 * 1024;

bool HasControlCharacter(std::string_view text) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return true;
  }
  return false;
}

}  // namespace

Result<RsaPrivateKey> LoadSnowflakePrivateKey(const std::string& path,
                                              std::string_view passphrase) {
  Result<std::string> pem = ReadSmallFile(path, kMaxKeyFileBytes);
  if (!pem.ok()) return pem.status();
  if (passphrase.empty() && RsaPrivateKey::IsEncryptedPem(*pem)) {
    OPENSSL_cleanse(pem->data(), pem->size());
    return Status::InvalidArgument(
        path +
        ": the private key is encrypted; set SNOWFLAKE_PRIVATE_KEY_PASSPHRASE to its passphrase "
        "(or give the key unencrypted: openssl pkey -in KEY -out PLAIN)");
  }
  Result<RsaPrivateKey> key = RsaPrivateKey::FromPem(*pem, passphrase);
  OPENSSL_cleanse(pem->data(), pem->size());
  if (!key.ok()) return Status(key.status().code(), path + ": " + key.status().message());
  return key;
}

Result<std::unique_ptr<KeyPairJwtCredentials>> KeyPairJwtCredentials::Create(
    std::string_view account_identifier, std::string_view user, RsaPrivateKey key,
    const WallClock& clock) {
  if (account_identifier.empty()) {
    return Status::InvalidArgument(
        "key-pair authentication needs -sf-account: the JWT names the account (like "
        "myorg-myaccount)");
  }
  if (account_identifier.find('.') != std::string_view::npos ||
      HasControlCharacter(account_identifier)) {
    return Status::InvalidArgument("the JWT account \"" + std::string(account_identifier) +
                                   "\" must be an account identifier without region (like "
                                   "MYORG-MYACCOUNT or XY12345)");
  }
  if (user.empty()) {
    return Status::InvalidArgument(
        "key-pair authentication needs -sf-user: the JWT names the user the key belongs to");
  }
  if (HasControlCharacter(user)) {
    return Status::InvalidArgument("-sf-user contains a control character");
  }
  Result<RsaPublicKey> public_key = RsaPublicKey::FromPrivateKey(key);
  if (!public_key.ok()) return public_key.status();
  Result<std::string> fingerprint = public_key->Sha256Fingerprint();
  if (!fingerprint.ok()) return fingerprint.status();
  std::unique_ptr<KeyPairJwtCredentials> credentials(
      new KeyPairJwtCredentials(AsciiUppered(account_identifier), AsciiUppered(user),
                                std::move(key), std::move(*fingerprint), clock));
  {
    std::lock_guard<std::mutex> lock(credentials->mutex_);
    SKYFLOW_RETURN_IF_ERROR(credentials->SignLocked(credentials->NowSeconds()));
  }
  return credentials;
}

KeyPairJwtCredentials::KeyPairJwtCredentials(std::string account, std::string user,
                                             RsaPrivateKey key, std::string fingerprint,
                                             const WallClock& clock)
    : account_(std::move(account)),
      user_(std::move(user)),
      key_(std::move(key)),
      fingerprint_(std::move(fingerprint)),
      clock_(clock) {}

int64_t KeyPairJwtCredentials::NowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

Status KeyPairJwtCredentials::SignLocked(int64_t now) {
  const std::string subject = account_ + "." + user_;
  const int64_t expires_at = now + kLifetime.count();
  std::string claims;
  JsonWriter writer(&claims);
  writer.BeginObject()
      .Field("iss", subject + "." + fingerprint_)
      .Field("sub", subject)
      .Field("iat", now)
      .Field("exp", expires_at)
      .EndObject();
  Result<std::string> token = SignJwtRs256(claims, key_);
  if (!token.ok()) {
    return Status(token.status().code(),
                  "cannot sign the Snowflake key-pair JWT: " + token.status().message());
  }
  if (*token != token_) previous_token_ = std::move(token_);
  token_ = std::move(*token);
  expires_at_ = expires_at;
  return Status::Ok();
}

Result<std::vector<std::string>> KeyPairJwtCredentials::Headers() {
  std::lock_guard<std::mutex> lock(mutex_);
  const int64_t now = NowSeconds();
  if (now >= expires_at_ - kRenewBeforeExpiry.count()) SKYFLOW_RETURN_IF_ERROR(SignLocked(now));
  return std::vector<std::string>{
      "Authorization: Bearer " + token_,
      "X-Snowflake-Authorization-Token-Type: KEYPAIR_JWT",
  };
}

bool KeyPairJwtCredentials::RenewAfterRejection() {
  std::lock_guard<std::mutex> lock(mutex_);
  const int64_t now = NowSeconds();
  // Either way round: a clock set back must not stop renewals for as long.
  if (last_rejection_renewal_ &&
      std::abs(now - *last_rejection_renewal_) < kRejectionRenewalInterval.count()) {
    return false;
  }
  last_rejection_renewal_ = now;
  return SignLocked(now).ok();
}

std::string KeyPairJwtCredentials::RejectionAdvice() const {
  return "Snowflake refused the key-pair JWT for user " + user_ + " in account " + account_ +
         ". The server must hold this key's public half for that user: DESC USER " + user_ +
         " must show RSA_PUBLIC_KEY_FP (or RSA_PUBLIC_KEY_2_FP) = " + fingerprint_ +
         " (register it with ALTER USER " + user_ +
         " SET RSA_PUBLIC_KEY = '<the body of openssl pkey -in KEY -pubout>'). Check also that "
         "-sf-account names that account (the JWT says " +
         account_ + ") and that this machine's clock is right (the JWT is valid for " +
         std::to_string(kLifetime.count() / 60) + " minutes from its issue time).";
}

std::vector<std::string> KeyPairJwtCredentials::Secrets() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> secrets{token_};
  if (!previous_token_.empty()) secrets.push_back(previous_token_);
  return secrets;
}

}  // namespace skyflow::snowflake
