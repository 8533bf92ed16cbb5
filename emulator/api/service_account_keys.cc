#include "emulator/api/service_account_keys.h"

namespace skyflow::emulator {

Result<ServiceAccountKeySpec> ParseServiceAccountKeySpec(std::string_view text) {
  const size_t first = text.find('=');
  const size_t second = first == std::string_view::npos ? first : text.find('=', first + 1);
  if (second == std::string_view::npos || first == 0 || second == first + 1 ||
      second + 1 == text.size()) {
    return Status::InvalidArgument(
        "--sa-public-key: expected KEY_ID=CLIENT_ID=PATH (the keyID and clientID of the service "
        "account's credentials.json, and its public key in PEM), for example "
        "k1=c1=/etc/sa/public.pem");
  }
  ServiceAccountKeySpec spec;
  spec.key_id = std::string(text.substr(0, first));
  spec.client_id = std::string(text.substr(first + 1, second - first - 1));
  spec.public_key_path = std::string(text.substr(second + 1));
  return spec;
}

Result<std::vector<ServiceAccountKey>> LoadServiceAccountKeys(
    const std::vector<ServiceAccountKeySpec>& specs) {
  std::vector<ServiceAccountKey> keys;
  for (const ServiceAccountKeySpec& spec : specs) {
    Result<RsaPublicKey> key = RsaPublicKey::FromPemFile(spec.public_key_path);
    if (!key.ok()) {
      return Status(key.status().code(),
                    "--sa-public-key " + spec.key_id + ": " + key.status().message());
    }
    keys.push_back({spec.key_id, spec.client_id, std::move(*key)});
  }
  return keys;
}

ServiceAccountKeys::ServiceAccountKeys(std::vector<ServiceAccountKey> keys) {
  for (ServiceAccountKey& key : keys) {
    std::string id = key.key_id;
    keys_.insert_or_assign(std::move(id), std::move(key));
  }
}

const ServiceAccountKey* ServiceAccountKeys::Find(std::string_view key_id) const {
  const auto it = keys_.find(std::string(key_id));
  return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace skyflow::emulator
