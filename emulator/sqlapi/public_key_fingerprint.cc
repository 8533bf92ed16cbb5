#include "emulator/sqlapi/public_key_fingerprint.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string_view>

#include "util/sha256.h"

namespace skyflow::emulator::sqlapi {

Result<std::string> SnowflakePublicKeyFingerprint(const RsaPublicKey& key) {
  unsigned char* der = nullptr;
  const int der_size = i2d_PUBKEY(key.get(), &der);
  if (der_size <= 0 || der == nullptr) {
    return Status::Internal("cannot encode the public key as DER SubjectPublicKeyInfo");
  }
  const Sha256Digest digest =
      Sha256({std::string_view(reinterpret_cast<const char*>(der), static_cast<size_t>(der_size))});
  OPENSSL_free(der);
  // 32 bytes: 44 base64 characters and a terminator.
  unsigned char encoded[4 * ((sizeof(Sha256Digest) + 2) / 3) + 1] = {};
  const int encoded_size = EVP_EncodeBlock(encoded, digest.data(), static_cast<int>(digest.size()));
  return "SHA256:" +
         std::string(reinterpret_cast<const char*>(encoded), static_cast<size_t>(encoded_size));
}

}  // namespace skyflow::emulator::sqlapi
