// The fingerprint Snowflake registers for a user's RSA public key (its
// RSA_PUBLIC_KEY_FP), which a key-pair JWT's `iss` must end with:
// "SHA256:" + standard base64 (padded) of the SHA-256 of the key's DER
// SubjectPublicKeyInfo.
//
// Kept here, under a name that says what it computes, until util/rsa_key.h
// offers RsaPublicKey::Sha256Fingerprint(); the emulator then uses that.
// Stateless; thread-safe.
#pragma once

#include <string>

#include "util/rsa_key.h"
#include "util/status.h"

namespace skyflow::emulator::sqlapi {

// "SHA256:<base64>".
Result<std::string> SnowflakePublicKeyFingerprint(const RsaPublicKey& key);

}  // namespace skyflow::emulator::sqlapi
