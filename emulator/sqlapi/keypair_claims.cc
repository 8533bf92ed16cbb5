#include "emulator/sqlapi/keypair_claims.h"

namespace skyflow::emulator::sqlapi {
namespace {

std::string UpperAscii(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return upper;
}

ClaimsVerdict Invalid(std::string problem) {
  return {ClaimsVerdict::Kind::kInvalid, std::move(problem)};
}

}  // namespace

std::string KeypairAccountName(std::string_view account) {
  return UpperAscii(account.substr(0, account.find('.')));
}

std::string_view IssuerFingerprint(std::string_view iss) {
  const size_t at = iss.rfind(".SHA256:");
  return at == std::string_view::npos ? std::string_view() : iss.substr(at + 1);
}

ClaimsVerdict CheckKeypairClaims(const JwtClaims& claims, const KeypairIdentity& identity,
                                 int64_t now_seconds) {
  const std::string subject =
      KeypairAccountName(identity.account) + "." + UpperAscii(identity.user);
  if (!claims.sub) return Invalid("the token has no `sub` claim (expected " + subject + ")");
  if (UpperAscii(*claims.sub) != subject) {
    return Invalid("`sub` is \"" + *claims.sub + "\", expected " + subject +
                   " (ACCOUNT.USER, the account identifier without region)");
  }
  if (!claims.iss) {
    return Invalid("the token has no `iss` claim (expected " + subject + "." +
                   identity.fingerprint + ")");
  }
  const std::string_view fingerprint = IssuerFingerprint(*claims.iss);
  const std::string_view issuer_subject =
      std::string_view(*claims.iss).substr(0, claims.iss->size() - fingerprint.size());
  if (fingerprint.empty() || UpperAscii(issuer_subject) != subject + ".") {
    return Invalid("`iss` is \"" + *claims.iss + "\", expected " + subject + "." +
                   identity.fingerprint);
  }
  if (fingerprint != identity.fingerprint) {
    return Invalid("`iss` names the key fingerprint " + std::string(fingerprint) +
                   ", but the registered public key's fingerprint is " + identity.fingerprint);
  }
  if (!claims.iat) return Invalid("the token has no `iat` claim");
  if (*claims.iat > now_seconds + kMaxJwtClockSkewSeconds) {
    return Invalid("`iat` is " + std::to_string(*claims.iat - now_seconds) +
                   " s in the future (clocks out of step?)");
  }
  if (!claims.exp) return Invalid("the token has no `exp` claim");
  if (*claims.exp - *claims.iat > kMaxJwtLifetimeSeconds) {
    return Invalid("the token's lifetime (exp - iat) is " +
                   std::to_string(*claims.exp - *claims.iat) + " s; at most " +
                   std::to_string(kMaxJwtLifetimeSeconds) + " s is accepted");
  }
  if (*claims.exp <= now_seconds) {
    return {ClaimsVerdict::Kind::kExpired, "the token expired " +
                                               std::to_string(now_seconds - *claims.exp) +
                                               " s ago; sign a new one"};
  }
  return {ClaimsVerdict::Kind::kAccepted, {}};
}

}  // namespace skyflow::emulator::sqlapi
