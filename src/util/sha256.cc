#include "util/sha256.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace skyflow {

Sha256Digest Sha256(std::initializer_list<std::string_view> parts) {
  // The context is reused per thread: EVP_MD_CTX_new costs an allocation, and
  // digests are computed once per stored record in the emulator.
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                               &EVP_MD_CTX_free);
  // Fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up (under
  // its locks) on every init.
  static EVP_MD* const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (!context || algorithm == nullptr ||
      EVP_DigestInit_ex(context.get(), algorithm, nullptr) != 1) {
    throw std::runtime_error("OpenSSL SHA-256 is unavailable");
  }
  for (std::string_view part : parts) {
    EVP_DigestUpdate(context.get(), part.data(), part.size());
  }
  Sha256Digest digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(context.get(), digest.data(), &length);
  return digest;
}

}  // namespace skyflow
