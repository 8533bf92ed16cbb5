#include "emulator/http/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstdio>

#include "util/errno_text.h"

namespace skyflow::emulator {
namespace {

// The first queued OpenSSL error as text (and the queue emptied), for
// messages that say why a file was refused.
std::string TakeOpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

Status CheckReadable(const std::string& what, const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return Status::InvalidArgument(what + " " + path + ": cannot read the file (" +
                                   ErrnoText(errno) + ")");
  }
  std::fclose(file);
  return Status::Ok();
}

// Offers http/1.1 and nothing else: a client that asks only for h2 gets no
// ALPN answer and may fall back or give up, as it would with any HTTP/1.1
// server.
int SelectAlpn(SSL* /*ssl*/, const unsigned char** out, unsigned char* out_size,
               const unsigned char* offered, unsigned int offered_size, void* /*arg*/) {
  static constexpr unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_size, kHttp11, sizeof(kHttp11), offered, offered_size) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

Result<std::shared_ptr<TlsContext>> TlsContext::Load(const std::string& cert_file,
                                                     const std::string& key_file) {
  SKYFLOW_RETURN_IF_ERROR(CheckReadable("TLS certificate file", cert_file));
  SKYFLOW_RETURN_IF_ERROR(CheckReadable("TLS private key file", key_file));
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  if (context == nullptr) return Status::Internal("SSL_CTX_new failed: " + TakeOpenSslError());
  std::shared_ptr<TlsContext> tls(new TlsContext(context));
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  // A client that closes without close_notify is an ordinary end of stream
  // here, as it is for plain TCP.
  SSL_CTX_set_options(context, SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_RENEGOTIATION);
  // Writes may complete partially, and a retried write may come from a
  // buffer that has grown (moved) since.
  SSL_CTX_set_mode(context, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_alpn_select_cb(context, &SelectAlpn, nullptr);
  if (SSL_CTX_use_certificate_chain_file(context, cert_file.c_str()) != 1) {
    return Status::InvalidArgument("TLS certificate file " + cert_file +
                                   ": not a PEM certificate (chain): " + TakeOpenSslError());
  }
  const Status mismatch = Status::InvalidArgument(
      "TLS private key file " + key_file + " does not belong to the certificate in " + cert_file +
      "; give the key the certificate was issued for");
  if (SSL_CTX_use_PrivateKey_file(context, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    // OpenSSL compares the key with the certificate as it loads it.
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      ERR_clear_error();
      return mismatch;
    }
    return Status::InvalidArgument("TLS private key file " + key_file +
                                   ": not an unencrypted PEM private key: " + TakeOpenSslError());
  }
  if (SSL_CTX_check_private_key(context) != 1) {
    ERR_clear_error();
    return mismatch;
  }
  return tls;
}

TlsContext::~TlsContext() {
  SSL_CTX_free(context_);
}

SSL* TlsContext::NewConnection(int fd) const {
  SSL* ssl = SSL_new(context_);
  if (ssl == nullptr) return nullptr;
  if (SSL_set_fd(ssl, fd) != 1) {
    SSL_free(ssl);
    return nullptr;
  }
  SSL_set_accept_state(ssl);
  return ssl;
}

}  // namespace skyflow::emulator
