#include "emulator/api/access_token_issuer.h"

#include <mutex>
#include <stdexcept>

#include "util/json_writer.h"
#include "util/jwt.h"

namespace skyflow::emulator {
namespace {

RsaPrivateKey GenerateSigningKey() {
  Result<RsaPrivateKey> key = RsaPrivateKey::Generate(2048);
  if (!key.ok()) {
    throw std::runtime_error("cannot generate the access-token signing key: " +
                             key.status().message());
  }
  return *key;
}

RsaPublicKey PublicHalf(const RsaPrivateKey& key) {
  Result<RsaPublicKey> public_key = RsaPublicKey::FromPrivateKey(key);
  if (!public_key.ok()) {
    throw std::runtime_error("cannot derive the access-token verifying key: " +
                             public_key.status().message());
  }
  return *public_key;
}

}  // namespace

AccessTokenIssuer::AccessTokenIssuer(int64_t lifetime_seconds)
    : lifetime_seconds_(lifetime_seconds),
      signing_key_(GenerateSigningKey()),
      verifying_key_(PublicHalf(signing_key_)) {}

Result<std::string> AccessTokenIssuer::Issue(std::string_view client_id, std::string_view key_id,
                                             std::string_view scope, int64_t now_seconds) {
  const int64_t exp = now_seconds + lifetime_seconds_;
  std::string claims;
  JsonWriter json(&claims);
  json.BeginObject();
  json.Field("iss", "skyflow-vault-emulator");
  json.Field("sub", client_id);
  json.Field("clientID", client_id);
  json.Field("keyID", key_id);
  if (!scope.empty()) json.Field("scope", scope);
  json.Field("iat", now_seconds);
  json.Field("exp", exp);
  json.EndObject();
  Result<std::string> token = SignJwtRs256(claims, signing_key_);
  if (!token.ok()) return token.status();

  std::unique_lock lock(mutex_);
  PruneExpiredLocked(now_seconds);
  issued_.insert_or_assign(*token, exp);
  return token;
}

void AccessTokenIssuer::PruneExpiredLocked(int64_t now_seconds) {
  // Amortised: a full pass only when the map has doubled since the last one.
  if (issued_.size() < prune_at_size_) return;
  std::erase_if(issued_, [now_seconds](const auto& entry) { return entry.second <= now_seconds; });
  prune_at_size_ = std::max<size_t>(64, 2 * issued_.size());
}

AccessTokenIssuer::Verdict AccessTokenIssuer::Check(std::string_view token,
                                                    int64_t now_seconds) const {
  {
    std::shared_lock lock(mutex_);
    const auto it = issued_.find(token);
    if (it != issued_.end()) return now_seconds < it->second ? Verdict::kValid : Verdict::kExpired;
  }
  Result<JwtClaims> claims = VerifyJwtRs256(token, verifying_key_);
  if (!claims.ok()) return Verdict::kUnknown;
  return CheckJwtExpiry(*claims, now_seconds).ok() ? Verdict::kValid : Verdict::kExpired;
}

}  // namespace skyflow::emulator
