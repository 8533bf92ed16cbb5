// Conformance of the emulator's service-account authentication (spec
// section 6) against a real emulator process: a key pair made by the openssl
// CLI, assertions signed as Skyflow's SDKs sign them, the exchange and the
// vault API spoken with libcurl. Statuses and bodies are compared with the
// spec: {"accessToken","tokenType":"Bearer"} on success, the API's error
// shape on failure.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "harness/emulator_process.h"
#include "harness/http_request.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"
#include "util/json_writer.h"
#include "util/jwt.h"
#include "util/rsa_key.h"
#include "util/service_account_assertion.h"

namespace skyflow::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kStaticToken[] = "service-account-test-static-token";
constexpr char kKeyId[] = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
constexpr char kClientId[] = "c0ffee00112233445566778899aabbcc";
constexpr char kTokenUri[] = "https://manage.example.test/v1/auth/sa/oauth/token";
constexpr char kGrantType[] = "urn:ietf:params:oauth:grant-type:jwt-bearer";
constexpr int kAccessTokenLifetime = 3;  // seconds; the test waits it out once

int64_t Now() {
  return std::chrono::duration_cast<seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FindOpenssl() {
  const char* path = std::getenv("PATH");
  std::string directories = path != nullptr ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= directories.size()) {
    const size_t end = std::min(directories.find(':', start), directories.size());
    const std::string candidate = directories.substr(start, end - start) + "/openssl";
    if (std::filesystem::exists(candidate)) return candidate;
    start = end + 1;
  }
  return "";
}

AssertionClaims ValidClaims() {
  // As the SDKs sign: 60 minutes ahead.
  return AssertionClaims{kClientId, kKeyId, kTokenUri, kClientId, Now() + 3600};
}

std::string Sign(const AssertionClaims& claims, const RsaPrivateKey& key) {
  Result<std::string> token = SignAssertion(claims, key);
  EXPECT_TRUE(token.ok()) << token.status().ToString();
  return token.ok() ? *token : "";
}

std::string ExchangeBody(const std::string& assertion, const std::string& grant_type = kGrantType) {
  std::string body;
  JsonWriter writer(&body);
  writer.BeginObject()
      .Field("grant_type", grant_type)
      .Field("assertion", assertion)
      .Field("scope", "role:r1")
      .EndObject();
  return body;
}

// The spec's error shape, and the message for the caller to inspect.
std::string ExpectErrorShape(const HttpAnswer& reply, int status, int grpc_code) {
  EXPECT_EQ(reply.status, status) << reply.body;
  simdjson::dom::parser parser;
  simdjson::dom::element error;
  if (parser.parse(reply.body)["error"].get(error)) {
    ADD_FAILURE() << "not the API's error shape: " << reply.body;
    return "";
  }
  EXPECT_EQ(error["grpc_code"].get_int64().value_unsafe(), grpc_code) << reply.body;
  EXPECT_EQ(error["http_code"].get_int64().value_unsafe(), status) << reply.body;
  EXPECT_TRUE(error["http_status"].is_string()) << reply.body;
  EXPECT_TRUE(error["details"].is_array()) << reply.body;
  std::string_view message;
  EXPECT_FALSE(error["message"].get_string().get(message)) << reply.body;
  return std::string(message);
}

class ServiceAccountConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string openssl = FindOpenssl();
    ASSERT_FALSE(openssl.empty()) << "the openssl CLI is needed (scripts/install-deps.sh)";
    const std::string private_pem = dir_.File("client-key.pem");
    const std::string public_pem = dir_.File("client-public.pem");
    ProcessResult generated = RunProcess(
        openssl,
        {"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", private_pem},
        dir_.path(), seconds(30));
    ASSERT_EQ(generated.exit_code, 0) << generated.err;
    ProcessResult extracted =
        RunProcess(openssl, {"pkey", "-in", private_pem, "-pubout", "-out", public_pem},
                   dir_.path(), seconds(10));
    ASSERT_EQ(extracted.exit_code, 0) << extracted.err;

    Result<RsaPrivateKey> client_key = RsaPrivateKey::FromPemFile(private_pem);
    ASSERT_TRUE(client_key.ok()) << client_key.status().ToString();
    client_key_ = std::make_unique<RsaPrivateKey>(std::move(*client_key));
    Result<RsaPrivateKey> stranger_key = RsaPrivateKey::Generate(2048);
    ASSERT_TRUE(stranger_key.ok());
    stranger_key_ = std::make_unique<RsaPrivateKey>(std::move(*stranger_key));

    emulator_ = std::make_unique<EmulatorProcess>(
        dir_.path(), kStaticToken,
        std::vector<std::string>{"--sa-public-key",
                                 std::string(kKeyId) + "=" + kClientId + "=" + public_pem,
                                 "--sa-token-uri", kTokenUri, "--access-token-lifetime",
                                 std::to_string(kAccessTokenLifetime)});
    ASSERT_TRUE(emulator_->ready());
  }

  HttpAnswer Exchange(const std::string& body) {
    return HttpPost(emulator_->url() + "/v1/auth/sa/oauth/token", body);
  }

  HttpAnswer Insert(const std::string& bearer_token, const std::string& value) {
    return HttpPost(emulator_->url() + "/v1/vaults/vault_sa/ssn",
                    R"({"records":[{"fields":{"ssn":")" + value + R"("},"tokens":{"ssn":"tok-)" +
                        value + R"("}}],"byot":"ENABLE"})",
                    bearer_token);
  }

  TempDir dir_;
  std::unique_ptr<RsaPrivateKey> client_key_;
  std::unique_ptr<RsaPrivateKey> stranger_key_;
  std::unique_ptr<EmulatorProcess> emulator_;
};

TEST_F(ServiceAccountConformanceTest, AccessTokenWorksUntilItExpires) {
  const HttpAnswer exchanged = Exchange(ExchangeBody(Sign(ValidClaims(), *client_key_)));
  ASSERT_EQ(exchanged.status, 200) << exchanged.body;
  simdjson::dom::parser parser;
  simdjson::dom::element answer = parser.parse(exchanged.body).value();
  EXPECT_EQ(std::string_view(answer["tokenType"].get_string().value()), "Bearer");
  const std::string access_token(answer["accessToken"].get_string().value());

  // There is no expiry field: the client reads `exp` from the token.
  Result<DecodedJwt> decoded = DecodeJwt(access_token);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_TRUE(decoded->claims.exp && decoded->claims.iat);
  EXPECT_EQ(*decoded->claims.exp - *decoded->claims.iat, kAccessTokenLifetime);
  EXPECT_EQ(decoded->claims.sub, kClientId);

  const HttpAnswer accepted = Insert(access_token, "123-45-6789");
  EXPECT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(emulator_->Stats()["vault_sa/ssn"].records, 1u);

  // Bounded wait for the token's exp (at most the lifetime plus a margin).
  const auto deadline = std::chrono::steady_clock::now() + seconds(kAccessTokenLifetime + 3);
  while (Now() < *decoded->claims.exp && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(100));
  }
  ASSERT_GE(Now(), *decoded->claims.exp);

  const HttpAnswer expired = Insert(access_token, "987-65-4321");
  const std::string message = ExpectErrorShape(expired, 401, 16);
  EXPECT_NE(message.find("expired"), std::string::npos) << message;
  EXPECT_EQ(expired.body.find(access_token), std::string::npos);
  EXPECT_EQ(emulator_->Stats()["vault_sa/ssn"].records, 1u);

  // Renewal: a fresh assertion, a fresh token, and the insert goes through.
  const HttpAnswer renewed = Exchange(ExchangeBody(Sign(ValidClaims(), *client_key_)));
  ASSERT_EQ(renewed.status, 200) << renewed.body;
  const std::string new_token(
      parser.parse(renewed.body).value()["accessToken"].get_string().value());
  EXPECT_EQ(Insert(new_token, "987-65-4321").status, 200);
  EXPECT_EQ(emulator_->Stats()["vault_sa/ssn"].records, 2u);
}

TEST_F(ServiceAccountConformanceTest, UnknownBearerTokensAreNotReportedAsExpired) {
  const std::string message = ExpectErrorShape(Insert("not-a-token", "1"), 401, 16);
  EXPECT_EQ(message.find("expired"), std::string::npos) << message;
  // The static token keeps working beside service-account tokens.
  EXPECT_EQ(Insert(kStaticToken, "1").status, 200);
}

TEST_F(ServiceAccountConformanceTest, BadAssertionsAreRefusedWithTheApiErrorShape) {
  AssertionClaims wrong_key_id = ValidClaims();
  wrong_key_id.key = "ffffffffffffffffffffffffffffffff";
  std::string message =
      ExpectErrorShape(Exchange(ExchangeBody(Sign(wrong_key_id, *client_key_))), 401, 16);
  EXPECT_NE(message.find("Unknown key ID"), std::string::npos) << message;

  message = ExpectErrorShape(Exchange(ExchangeBody(Sign(ValidClaims(), *stranger_key_))), 401, 16);
  EXPECT_NE(message.find("does not verify"), std::string::npos) << message;

  AssertionClaims expired = ValidClaims();
  expired.exp = Now() - 60;
  message = ExpectErrorShape(Exchange(ExchangeBody(Sign(expired, *client_key_))), 401, 16);
  EXPECT_NE(message.find("expired"), std::string::npos) << message;

  AssertionClaims wrong_audience = ValidClaims();
  wrong_audience.aud = "https://elsewhere.example.test/v1/auth/sa/oauth/token";
  message = ExpectErrorShape(Exchange(ExchangeBody(Sign(wrong_audience, *client_key_))), 401, 16);
  EXPECT_NE(message.find("Invalid audience"), std::string::npos) << message;

  AssertionClaims wrong_issuer = ValidClaims();
  wrong_issuer.iss = "someone-else";
  message = ExpectErrorShape(Exchange(ExchangeBody(Sign(wrong_issuer, *client_key_))), 401, 16);
  EXPECT_NE(message.find("Invalid issuer"), std::string::npos) << message;

  message = ExpectErrorShape(Exchange(ExchangeBody("not.a.jwt")), 401, 16);
  EXPECT_NE(message.find("not a valid JWT"), std::string::npos) << message;

  message = ExpectErrorShape(
      Exchange(ExchangeBody(Sign(ValidClaims(), *client_key_), "client_credentials")), 400, 3);
  EXPECT_NE(message.find("grant_type"), std::string::npos) << message;

  message = ExpectErrorShape(Exchange("grant_type=x&assertion=y"), 400, 3);
  EXPECT_NE(message.find("JSON object"), std::string::npos) << message;

  // The exchange takes no bearer token and is not an insert: GET is 405.
  EXPECT_EQ(HttpGet(emulator_->url() + "/v1/auth/sa/oauth/token").status, 405);
}

}  // namespace
}  // namespace skyflow::testing
