// HttpServer over TLS, in this process: a self-signed certificate made with
// OpenSSL's API, an OpenSSL client on a blocking loopback socket, and the
// same scripted handler as the delivery tests (the path chooses the answer).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "emulator/http/http_server.h"
#include "emulator/http/tls_context.h"
#include "tests/unit/emulator/scripted_handler.h"
#include "tests/unit/emulator/test_http_client.h"

namespace skyflow::emulator {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// Writes a fresh P-256 key and a self-signed certificate for 127.0.0.1.
bool WriteSelfSigned(const std::string& cert_path, const std::string& key_path) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  X509* cert = X509_new();
  bool ok = key != nullptr && cert != nullptr;
  if (ok) {
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    ok = X509_sign(cert, key, EVP_sha256()) > 0;
  }
  if (ok) {
    std::FILE* key_file = std::fopen(key_path.c_str(), "w");
    std::FILE* cert_file = std::fopen(cert_path.c_str(), "w");
    ok = key_file != nullptr && cert_file != nullptr &&
         PEM_write_PrivateKey(key_file, key, nullptr, nullptr, 0, nullptr, nullptr) == 1 &&
         PEM_write_X509(cert_file, cert) == 1;
    if (key_file != nullptr) std::fclose(key_file);
    if (cert_file != nullptr) std::fclose(cert_file);
  }
  X509_free(cert);
  EVP_PKEY_free(key);
  return ok;
}

// A blocking TLS client (certificate not verified: the server is what is
// tested), offering ALPN h2 and http/1.1 as curl does.
class TlsClient {
 public:
  explicit TlsClient(uint16_t port) {
    context_ = SSL_CTX_new(TLS_client_method());
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) return;
    static constexpr unsigned char kAlpn[] = {2,   'h', '2', 8,   'h', 't',
                                              't', 'p', '/', '1', '.', '1'};
    SSL_CTX_set_alpn_protos(context_, kAlpn, sizeof(kAlpn));
    ssl_ = SSL_new(context_);
    SSL_set_fd(ssl_, fd_);
    connected_ = SSL_connect(ssl_) == 1;
  }
  ~TlsClient() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    SSL_CTX_free(context_);
    ::close(fd_);
  }
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  bool ok() const { return connected_; }
  std::string Alpn() const {
    const unsigned char* data = nullptr;
    unsigned int size = 0;
    SSL_get0_alpn_selected(ssl_, &data, &size);
    return std::string(reinterpret_cast<const char*>(data), size);
  }

  bool Send(std::string_view bytes) {
    size_t sent = 0;
    for (int attempt = 0; attempt < 100000 && sent < bytes.size(); ++attempt) {
      const int n = SSL_write(ssl_, bytes.data() + sent, static_cast<int>(bytes.size() - sent));
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return sent == bytes.size();
  }

  // The body of the next response, or nullopt at end of stream or error.
  std::optional<std::string> ReadBody() {
    size_t head_end = std::string::npos;
    for (int attempt = 0;
         attempt < 10000 && (head_end = buffer_.find("\r\n\r\n")) == std::string::npos; ++attempt) {
      if (!ReadMore()) return std::nullopt;
    }
    if (head_end == std::string::npos) return std::nullopt;
    const size_t length_at = buffer_.find("Content-Length: ");
    if (length_at == std::string::npos || length_at > head_end) return std::nullopt;
    const size_t length = std::stoul(buffer_.substr(length_at + 16));
    for (int attempt = 0; attempt < 10000 && buffer_.size() < head_end + 4 + length; ++attempt) {
      if (!ReadMore()) return std::nullopt;
    }
    std::string body = buffer_.substr(head_end + 4, length);
    buffer_.erase(0, head_end + 4 + length);
    return body;
  }

  // True when the server ended the connection with nothing more sent.
  bool EndsWithoutData() {
    char byte;
    return buffer_.empty() && SSL_read(ssl_, &byte, 1) <= 0;
  }

 private:
  bool ReadMore() {
    char chunk[16384];
    const int n = SSL_read(ssl_, chunk, sizeof(chunk));
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  SSL_CTX* context_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

class HttpServerTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // OpenSSL writes with write(2): a client gone early must not kill the
    // test process (the emulator's main ignores SIGPIPE the same way).
    std::signal(SIGPIPE, SIG_IGN);
    dir_ = std::filesystem::temp_directory_path() /
           ("http-server-tls-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    ASSERT_TRUE(WriteSelfSigned(dir_ / "cert.pem", dir_ / "key.pem"));
    auto tls = TlsContext::Load(dir_ / "cert.pem", dir_ / "key.pem");
    ASSERT_TRUE(tls.ok()) << tls.status().ToString();
    tls_ = std::move(tls.value());
  }
  void TearDown() override {
    server_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  void StartServer(uint64_t read_rate = 0) {
    HttpServerOptions options;
    options.threads = 1;
    options.tls = tls_;
    server_ = std::make_unique<HttpServer>(options, [this, read_rate](int) {
      return std::make_unique<testing::ScriptedHandler>(&seen_, read_rate);
    });
    ASSERT_TRUE(server_->Start().ok());
  }

  std::filesystem::path dir_;
  std::shared_ptr<const TlsContext> tls_;
  testing::Seen seen_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTlsTest, ServesKeepAliveRequestsAndPicksHttp11ByAlpn) {
  StartServer();
  TlsClient client(server_->port());
  ASSERT_TRUE(client.ok());
  EXPECT_EQ(client.Alpn(), "http/1.1");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.Send(testing::GetRequest("/ok")));
    EXPECT_EQ(client.ReadBody(), R"({"path":"/ok"})") << i;
  }
  // Pipelined, with a large body between.
  const std::string body(300 * 1024, 'b');
  ASSERT_TRUE(client.Send(testing::GetRequest("/ok") + testing::PostRequest("/ok", body, "") +
                          testing::GetRequest("/ok")));
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(client.ReadBody(), R"({"path":"/ok"})") << i;
  EXPECT_EQ(seen_.body_bytes.load(), body.size());
}

TEST_F(HttpServerTlsTest, DelayedAndDroppedAnswers) {
  StartServer();
  TlsClient client(server_->port());
  ASSERT_TRUE(client.ok());
  const auto start = Clock::now();
  ASSERT_TRUE(client.Send(testing::GetRequest("/delay/300")));
  EXPECT_EQ(client.ReadBody(), R"({"path":"/delay/300"})");
  EXPECT_GE(Clock::now() - start, milliseconds(300));
  ASSERT_TRUE(client.Send(testing::GetRequest("/drop")));
  EXPECT_TRUE(client.EndsWithoutData());
}

TEST_F(HttpServerTlsTest, ThrottledReadsApplyOverTls) {
  StartServer(/*read_rate=*/128 * 1024);
  TlsClient client(server_->port());
  ASSERT_TRUE(client.ok());
  const std::string body(192 * 1024, 'x');
  const auto start = Clock::now();
  // The send ends once the kernel buffers hold the rest; the answer comes
  // when the server has read the whole body at its pace.
  ASSERT_TRUE(client.Send(testing::PostRequest("/ok", body, "")));
  EXPECT_EQ(client.ReadBody(), R"({"path":"/ok"})");
  const auto took = Clock::now() - start;
  EXPECT_GE(took, milliseconds(1200)) << "192 KiB at 128 KiB/s";
  EXPECT_LT(took, milliseconds(4000));
}

TEST_F(HttpServerTlsTest, PlainHttpToTheTlsPortIsToldSo) {
  StartServer();
  testing::TestConnection plain(server_->port());
  ASSERT_TRUE(plain.ok());
  ASSERT_TRUE(plain.Send(testing::GetRequest("/ok")));
  const auto answer = plain.ReadResponse();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 400);
  EXPECT_NE(answer->body.find("This port speaks HTTPS"), std::string::npos) << answer->body;
  EXPECT_TRUE(plain.ServerClosed());
}

}  // namespace
}  // namespace skyflow::emulator
