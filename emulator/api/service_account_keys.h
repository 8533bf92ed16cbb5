// ServiceAccountKeys: the service-account public keys the token endpoint
// accepts assertions from, by key ID (the `key` claim; Skyflow's keyID).
//
// Each key belongs to one client: an assertion signed with it must name that
// client as `iss` and `sub` (clientID in credentials.json). Configured with
// --sa-public-key KEY_ID=CLIENT_ID=PATH; ParseServiceAccountKeySpec reads
// that text (no I/O) and LoadServiceAccountKeys reads the PEM files.
// Immutable after construction; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "util/rsa_key.h"
#include "util/status.h"

namespace skyflow::emulator {

struct ServiceAccountKeySpec {
  std::string key_id;
  std::string client_id;
  std::string public_key_path;
};

struct ServiceAccountKey {
  std::string key_id;
  std::string client_id;
  RsaPublicKey public_key;
};

// "KEY_ID=CLIENT_ID=PATH": the first two '=' separate the parts (IDs hold
// none; a path may). kInvalidArgument naming the flag when a part is empty.
Result<ServiceAccountKeySpec> ParseServiceAccountKeySpec(std::string_view text);

// Reads every PEM public key; the message names the flag, key ID and file.
Result<std::vector<ServiceAccountKey>> LoadServiceAccountKeys(
    const std::vector<ServiceAccountKeySpec>& specs);

class ServiceAccountKeys {
 public:
  explicit ServiceAccountKeys(std::vector<ServiceAccountKey> keys);

  bool empty() const { return keys_.empty(); }
  // nullptr when no key has this ID.
  const ServiceAccountKey* Find(std::string_view key_id) const;

 private:
  std::unordered_map<std::string, ServiceAccountKey> keys_;
};

}  // namespace skyflow::emulator
