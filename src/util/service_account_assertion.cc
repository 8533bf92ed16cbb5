#include "util/service_account_assertion.h"

#include "util/json_writer.h"
#include "util/jwt.h"

namespace skyflow {

Result<std::string> SignAssertion(const AssertionClaims& claims, const RsaPrivateKey& key) {
  std::string json;
  JsonWriter writer(&json);
  writer.BeginObject()
      .Field("iss", claims.iss)
      .Field("key", claims.key)
      .Field("aud", claims.aud)
      .Field("sub", claims.sub)
      .Field("exp", claims.exp)
      .EndObject();
  return SignJwtRs256(json, key);
}

}  // namespace skyflow
