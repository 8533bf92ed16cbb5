// TlsContext: the emulator's TLS server configuration (OpenSSL 3): a
// certificate chain and its private key, loaded once from PEM files, TLS 1.2
// and newer, and ALPN that offers http/1.1 only (HTTP/2 is left to a proxy
// such as nghttpx in front of the emulator; see docs/emulator.md).
//
// Load checks what a user can get wrong (a missing or unreadable file, a file
// that is not PEM, a key that does not belong to the certificate) and says
// which file and what to do. The context is immutable once loaded; OpenSSL
// allows creating connections from it on any thread concurrently.
#pragma once

#include <memory>
#include <string>

#include "util/status.h"

using SSL_CTX = struct ssl_ctx_st;
using SSL = struct ssl_st;

namespace skyflow::emulator {

class TlsContext {
 public:
  static Result<std::shared_ptr<TlsContext>> Load(const std::string& cert_file,
                                                  const std::string& key_file);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // A server-side connection on `fd` (non-blocking), handshake not started;
  // nullptr when OpenSSL cannot allocate one. The caller frees it (SSL_free).
  SSL* NewConnection(int fd) const;

 private:
  explicit TlsContext(SSL_CTX* context) : context_(context) {}

  SSL_CTX* context_;
};

}  // namespace skyflow::emulator
