// Test helpers for RSA key files: a scratch directory, a private key written
// as PEM PKCS#8 (encrypted with AES-256-CBC when a passphrase is given) by
// OpenSSL directly, and the "SHA256:" fingerprint of a key file computed by
// the openssl command line, an oracle independent of util/rsa_key.
// Single-threaded test code.
#pragma once

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <memory>
#include <string>

#include "util/rsa_key.h"

namespace skyflow::test_keys {

// A fresh directory under the test's temporary directory.
inline std::string MakeScratchDirectory(const std::string& name) {
  std::string directory = ::testing::TempDir() + name + "_XXXXXX";
  if (mkdtemp(directory.data()) == nullptr) return "";
  return directory;
}

// Writes `key` to `path` (mode 0600) as "BEGIN PRIVATE KEY", or as "BEGIN
// ENCRYPTED PRIVATE KEY" when `passphrase` is not empty. False on failure.
inline bool WritePkcs8PrivateKey(const RsaPrivateKey& key, const std::string& path,
                                 const std::string& passphrase) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file(path.c_str(), "w"), &BIO_free);
  if (!bio) return false;
  const bool encrypt = !passphrase.empty();
  const int written =
      PEM_write_bio_PKCS8PrivateKey(bio.get(), key.get(), encrypt ? EVP_aes_256_cbc() : nullptr,
                                    encrypt ? const_cast<char*>(passphrase.data()) : nullptr,
                                    static_cast<int>(passphrase.size()), nullptr, nullptr);
  return written == 1 && chmod(path.c_str(), 0600) == 0;
}

// The whole standard output of `command`, or "" when it fails.
inline std::string CommandOutput(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string out;
  char buffer[256];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    out.append(buffer, n);
  return pclose(pipe) == 0 ? out : "";
}

// "SHA256:" + base64 of the SHA-256 of the DER public key of the unencrypted
// private key file at `path`, as the openssl command line computes it (the
// fingerprint Snowflake's documentation has users compute), or "" on failure.
inline std::string OpenSslCliFingerprint(const std::string& path) {
  std::string out = CommandOutput("openssl pkey -in '" + path +
                                  "' -pubout -outform DER 2>/dev/null | openssl dgst -sha256 "
                                  "-binary | openssl base64 -A");
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
    out.pop_back();
  return out.empty() ? "" : "SHA256:" + out;
}

}  // namespace skyflow::test_keys
