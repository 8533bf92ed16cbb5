// RsaPrivateKey and RsaPublicKey: RSA keys for RS256 signatures, loaded from
// PEM or generated, held as OpenSSL 3 EVP_PKEY.
//
// Private keys: PKCS#8 ("BEGIN PRIVATE KEY", what Skyflow's credentials.json
// holds) or PKCS#1 ("BEGIN RSA PRIVATE KEY"); an encrypted one ("BEGIN
// ENCRYPTED PRIVATE KEY", what Snowflake's key-pair set-up suggests) is
// decrypted with the passphrase given, and refused when there is none: never
// a prompt from OpenSSL. Public keys: SubjectPublicKeyInfo ("BEGIN PUBLIC
// KEY") or PKCS#1 ("BEGIN RSA PUBLIC KEY"). Keys must be RSA of at least 2048
// bits (RFC 7518 section 3.3). Error messages describe the problem, never the
// key's bytes or the passphrase.
//
// Both are cheap to copy (they share the immutable EVP_PKEY) and safe to use
// from several threads at once: OpenSSL 3 keys are read-only once built.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "util/status.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace skyflow {

class RsaPrivateKey {
 public:
  // An empty `passphrase` means none: an encrypted key is then refused
  // (kInvalidArgument), as is one that `passphrase` does not decrypt. A
  // passphrase given for an unencrypted key is not needed and not checked.
  static Result<RsaPrivateKey> FromPem(std::string_view pem, std::string_view passphrase = {});
  static Result<RsaPrivateKey> FromPemFile(const std::string& path,
                                           std::string_view passphrase = {});
  // True when `pem` holds an encrypted private key (PKCS#8 "ENCRYPTED PRIVATE
  // KEY", or PKCS#1 with "Proc-Type: 4,ENCRYPTED"), so that a caller can say
  // where its passphrase comes from before trying to load it.
  static bool IsEncryptedPem(std::string_view pem);
  // A fresh key (2048 bits takes tens of milliseconds).
  static Result<RsaPrivateKey> Generate(int bits = 2048);

  evp_pkey_st* get() const { return key_.get(); }
  int bits() const;

 private:
  explicit RsaPrivateKey(std::shared_ptr<evp_pkey_st> key) : key_(std::move(key)) {}
  std::shared_ptr<evp_pkey_st> key_;
};

class RsaPublicKey {
 public:
  static Result<RsaPublicKey> FromPem(std::string_view pem);
  static Result<RsaPublicKey> FromPemFile(const std::string& path);
  // The public half of `key`.
  static Result<RsaPublicKey> FromPrivateKey(const RsaPrivateKey& key);

  // "-----BEGIN PUBLIC KEY-----..." (SubjectPublicKeyInfo).
  Result<std::string> ToPem() const;

  // "SHA256:" + padded standard base64 of the SHA-256 of the key's DER
  // SubjectPublicKeyInfo: what Snowflake shows as a user's RSA_PUBLIC_KEY_FP
  // and expects in a key-pair JWT's `iss`. Not a secret.
  Result<std::string> Sha256Fingerprint() const;

  evp_pkey_st* get() const { return key_.get(); }
  int bits() const;

 private:
  explicit RsaPublicKey(std::shared_ptr<evp_pkey_st> key) : key_(std::move(key)) {}
  std::shared_ptr<evp_pkey_st> key_;
};

}  // namespace skyflow
