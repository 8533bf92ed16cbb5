#include "util/rsa_key.h"

#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "util/base64url.h"
#include "util/sha256.h"

namespace skyflow {
namespace {

constexpr int kMinimumBits = 2048;

std::shared_ptr<evp_pkey_st> Own(EVP_PKEY* key) {
  return std::shared_ptr<evp_pkey_st>(key, &EVP_PKEY_free);
}

// OpenSSL's reason for the last failure ("bad base64 decode", ...), and an
// empty error queue afterwards so that the next caller starts clean.
std::string OpenSslReason() {
  const unsigned long error = ERR_peek_last_error();
  const char* reason = error != 0 ? ERR_reason_error_string(error) : nullptr;
  ERR_clear_error();
  return reason != nullptr ? std::string(" (") + reason + ")" : std::string();
}

// Hands OpenSSL the passphrase for an encrypted key; with none (empty), it
// refuses the prompt OpenSSL would otherwise show on the terminal.
int GivePassphrase(char* buffer, int size, int /*rwflag*/, void* data) {
  const auto* passphrase = static_cast<const std::string_view*>(data);
  if (passphrase->empty() || size < 0 || passphrase->size() > static_cast<size_t>(size)) return -1;
  std::copy(passphrase->begin(), passphrase->end(), buffer);
  return static_cast<int>(passphrase->size());
}

Status CheckRsa(EVP_PKEY* key, std::string_view what) {
  if (EVP_PKEY_is_a(key, "RSA") != 1) {
    return Status::InvalidArgument(std::string(what) + " is not an RSA key (RS256 needs RSA)");
  }
  const int bits = EVP_PKEY_get_bits(key);
  if (bits < kMinimumBits) {
    return Status::InvalidArgument(std::string(what) + " has " + std::to_string(bits) +
                                   " bits; RS256 needs at least " + std::to_string(kMinimumBits));
  }
  return Status::Ok();
}

Result<std::string> ReadWholeFile(const std::string& path, std::string_view what) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::IoError(std::string(what) + " " + path + ": cannot open the file");
  std::ostringstream contents;
  contents << file.rdbuf();
  if (file.bad()) return Status::IoError(std::string(what) + " " + path + ": read error");
  return contents.str();
}

// from_pem(the file's content); errors name the file. The content is wiped
// afterwards: it may be a private key.
template <typename Key, typename FromPem>
Result<Key> KeyFromPemFile(const std::string& path, std::string_view what, FromPem from_pem) {
  Result<std::string> pem = ReadWholeFile(path, what);
  if (!pem.ok()) return pem.status();
  Result<Key> key = from_pem(*pem);
  OPENSSL_cleanse(pem->data(), pem->size());
  if (!key.ok()) return Status(key.status().code(), path + ": " + key.status().message());
  return key;
}

}  // namespace

bool RsaPrivateKey::IsEncryptedPem(std::string_view pem) {
  return pem.find("ENCRYPTED") != std::string_view::npos;
}

Result<RsaPrivateKey> RsaPrivateKey::FromPem(std::string_view pem, std::string_view passphrase) {
  const bool encrypted = IsEncryptedPem(pem);
  if (encrypted && passphrase.empty()) {
    return Status::InvalidArgument(
        "the RSA private key is encrypted and no passphrase was given; give its passphrase, or "
        "the key unencrypted (openssl pkey -in KEY -out PLAIN)");
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return Status::Internal("OpenSSL cannot allocate a memory BIO");
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, &GivePassphrase, &passphrase);
  if (key == nullptr && encrypted) {
    return Status::InvalidArgument(
        "the encrypted RSA private key cannot be decrypted with the passphrase given (a wrong "
        "passphrase, or a damaged key file)" +
        OpenSslReason());
  }
  if (key == nullptr) {
    return Status::InvalidArgument(
        "not a PEM private key (expected \"-----BEGIN PRIVATE KEY-----\" or "
        "\"-----BEGIN RSA PRIVATE KEY-----\")" +
        OpenSslReason());
  }
  std::shared_ptr<evp_pkey_st> owned = Own(key);
  SKYFLOW_RETURN_IF_ERROR(CheckRsa(key, "the private key"));
  return RsaPrivateKey(std::move(owned));
}

Result<RsaPrivateKey> RsaPrivateKey::FromPemFile(const std::string& path,
                                                 std::string_view passphrase) {
  return KeyFromPemFile<RsaPrivateKey>(
      path, "private key file", [&](std::string_view pem) { return FromPem(pem, passphrase); });
}

Result<RsaPrivateKey> RsaPrivateKey::Generate(int bits) {
  if (bits < kMinimumBits) {
    return Status::InvalidArgument("RSA keys for RS256 need at least " +
                                   std::to_string(kMinimumBits) + " bits");
  }
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits));
  if (key == nullptr)
    return Status::Internal("OpenSSL cannot generate an RSA key" + OpenSslReason());
  return RsaPrivateKey(Own(key));
}

int RsaPrivateKey::bits() const {
  return EVP_PKEY_get_bits(key_.get());
}

Result<RsaPublicKey> RsaPublicKey::FromPem(std::string_view pem) {
  // The decoder would also take a private key and keep its public half; a
  // private key where a public one is configured is a mistake worth naming.
  if (pem.find("-----BEGIN PUBLIC KEY-----") == std::string_view::npos &&
      pem.find("-----BEGIN RSA PUBLIC KEY-----") == std::string_view::npos) {
    return Status::InvalidArgument(
        "not a PEM public key (expected \"-----BEGIN PUBLIC KEY-----\" or "
        "\"-----BEGIN RSA PUBLIC KEY-----\"; openssl pkey -in KEY -pubout prints one)");
  }
  EVP_PKEY* key = nullptr;
  std::unique_ptr<OSSL_DECODER_CTX, decltype(&OSSL_DECODER_CTX_free)> decoder(
      OSSL_DECODER_CTX_new_for_pkey(&key, "PEM", nullptr, "RSA", EVP_PKEY_PUBLIC_KEY, nullptr,
                                    nullptr),
      &OSSL_DECODER_CTX_free);
  if (!decoder)
    return Status::Internal("OpenSSL has no PEM decoder for RSA keys" + OpenSslReason());
  const auto* data = reinterpret_cast<const unsigned char*>(pem.data());
  size_t length = pem.size();
  if (OSSL_DECODER_from_data(decoder.get(), &data, &length) != 1 || key == nullptr) {
    return Status::InvalidArgument("the PEM public key cannot be decoded" + OpenSslReason());
  }
  std::shared_ptr<evp_pkey_st> owned = Own(key);
  SKYFLOW_RETURN_IF_ERROR(CheckRsa(key, "the public key"));
  return RsaPublicKey(std::move(owned));
}

Result<RsaPublicKey> RsaPublicKey::FromPemFile(const std::string& path) {
  return KeyFromPemFile<RsaPublicKey>(path, "public key file",
                                      [](std::string_view pem) { return FromPem(pem); });
}

Result<RsaPublicKey> RsaPublicKey::FromPrivateKey(const RsaPrivateKey& key) {
  // Through the DER encoding, so the result holds no private material.
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key.get(), &der);
  if (length <= 0) return Status::Internal("OpenSSL cannot encode a public key" + OpenSslReason());
  const unsigned char* cursor = der;
  EVP_PKEY* public_key = d2i_PUBKEY(nullptr, &cursor, length);
  OPENSSL_free(der);
  if (public_key == nullptr) {
    return Status::Internal("OpenSSL cannot decode a public key" + OpenSslReason());
  }
  return RsaPublicKey(Own(public_key));
}

Result<std::string> RsaPublicKey::ToPem() const {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) {
    return Status::Internal("OpenSSL cannot write the public key as PEM" + OpenSslReason());
  }
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

Result<std::string> RsaPublicKey::Sha256Fingerprint() const {
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key_.get(), &der);
  if (length <= 0) return Status::Internal("OpenSSL cannot encode a public key" + OpenSslReason());
  const Sha256Digest digest =
      Sha256({std::string_view(reinterpret_cast<const char*>(der), static_cast<size_t>(length))});
  OPENSSL_free(der);
  return "SHA256:" + Base64Encode(std::string_view(reinterpret_cast<const char*>(digest.data()),
                                                   digest.size()));
}

int RsaPublicKey::bits() const {
  return EVP_PKEY_get_bits(key_.get());
}

}  // namespace skyflow
