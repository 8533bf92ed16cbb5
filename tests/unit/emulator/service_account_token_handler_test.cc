#include "emulator/api/service_account_token_handler.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <memory>
#include <string>

#include "util/jwt.h"
#include "util/rsa_key.h"
#include "util/service_account_assertion.h"

namespace skyflow::emulator {
namespace {

constexpr int64_t kNow = 1'800'000'000;
constexpr char kTokenUri[] = "https://manage.example.com/v1/auth/sa/oauth/token";

// Generated once per test program: key generation costs tens of ms.
const RsaPrivateKey& ClientKey() {
  static const RsaPrivateKey key = *RsaPrivateKey::Generate(2048);
  return key;
}
const RsaPrivateKey& StrangerKey() {
  static const RsaPrivateKey key = *RsaPrivateKey::Generate(2048);
  return key;
}

AssertionClaims ValidClaims() {
  return AssertionClaims{"client-1", "key-1", kTokenUri, "client-1", kNow + 3600};
}

std::string Assertion(const AssertionClaims& claims = ValidClaims(),
                      const RsaPrivateKey& key = ClientKey()) {
  return *SignAssertion(claims, key);
}

std::string Body(const std::string& assertion, const std::string& grant_type = std::string(
                                                   ServiceAccountTokenHandler::kGrantType)) {
  return R"({"grant_type":")" + grant_type + R"(","assertion":")" + assertion + R"("})";
}

std::string Message(const HttpResponse& response) {
  simdjson::dom::parser parser;
  std::string_view message;
  if (parser.parse(response.body)["error"]["message"].get_string().get(message)) return "";
  return std::string(message);
}

class ServiceAccountTokenHandlerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::vector<ServiceAccountKey> keys;
    keys.push_back({"key-1", "client-1", *RsaPublicKey::FromPrivateKey(ClientKey())});
    keys_ = new ServiceAccountKeys(std::move(keys));
    issuer_ = new AccessTokenIssuer(120);
  }
  static void TearDownTestSuite() {
    delete keys_;
    delete issuer_;
  }

  HttpResponse Exchange(const std::string& body, const std::string& token_uri = kTokenUri) {
    ServiceAccountTokenHandler handler(keys_, issuer_, token_uri);
    HttpResponse response;
    handler.Handle(body, kNow, &response);
    return response;
  }

  void ExpectRefused(const std::string& body, int status, const std::string& fragment,
                     const std::string& token_uri = kTokenUri) {
    const HttpResponse response = Exchange(body, token_uri);
    EXPECT_EQ(response.status, status) << response.body;
    EXPECT_NE(Message(response).find(fragment), std::string::npos) << response.body;
    EXPECT_NE(response.body.find("\"http_code\":" + std::to_string(status)), std::string::npos);
  }

  static ServiceAccountKeys* keys_;
  static AccessTokenIssuer* issuer_;
};
ServiceAccountKeys* ServiceAccountTokenHandlerTest::keys_ = nullptr;
AccessTokenIssuer* ServiceAccountTokenHandlerTest::issuer_ = nullptr;

TEST_F(ServiceAccountTokenHandlerTest, ValidAssertionGetsAnAccessTokenNamingTheClient) {
  const HttpResponse response =
      Exchange(R"({"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","assertion":")" +
               Assertion() + R"(","scope":"role:r1"})");
  ASSERT_EQ(response.status, 200) << response.body;
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(response.body).value();
  EXPECT_EQ(std::string_view(root["tokenType"].get_string().value()), "Bearer");
  const std::string token(root["accessToken"].get_string().value());

  Result<DecodedJwt> decoded = DecodeJwt(token);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->alg, "RS256");
  EXPECT_EQ(decoded->claims.sub, "client-1");
  EXPECT_EQ(decoded->claims.exp, kNow + 120);
  EXPECT_EQ(decoded->claims.iat, kNow);
  EXPECT_NE(decoded->claims.json.find(R"("scope":"role:r1")"), std::string::npos);
  EXPECT_NE(decoded->claims.json.find(R"("keyID":"key-1")"), std::string::npos);

  EXPECT_EQ(issuer_->Check(token, kNow), AccessTokenIssuer::Verdict::kValid);
  EXPECT_EQ(issuer_->Check(token, kNow + 120), AccessTokenIssuer::Verdict::kExpired);
}

TEST_F(ServiceAccountTokenHandlerTest, AnyAudienceWithoutAConfiguredTokenUri) {
  AssertionClaims claims = ValidClaims();
  claims.aud = "https://elsewhere.example/token";
  EXPECT_EQ(Exchange(Body(Assertion(claims)), "").status, 200);
  ExpectRefused(Body(Assertion(claims)), 401, "Invalid audience");
}

TEST_F(ServiceAccountTokenHandlerTest, RequestsThatAreNotJwtBearerGrantsGet400) {
  ExpectRefused("not json", 400, "must be a JSON object");
  ExpectRefused("[]", 400, "must be a JSON object");
  ExpectRefused(Body(Assertion(), "client_credentials"), 400, "grant_type must be");
  ExpectRefused(R"({"assertion":"x.y.z"})", 400, "grant_type must be");
  ExpectRefused(R"({"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer"})", 400,
                "assertion must be");
  ExpectRefused(R"({"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","assertion":7})",
                400, "assertion must be");
  ExpectRefused(R"({"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","assertion":")" +
                    Assertion() + R"(","scope":["role:r1"]})",
                400, "scope must be a string");
}

TEST_F(ServiceAccountTokenHandlerTest, AssertionsThatDoNotAuthenticateGet401) {
  ExpectRefused(Body("abc.def"), 401, "not a valid JWT");

  AssertionClaims unknown_key = ValidClaims();
  unknown_key.key = "key-9";
  ExpectRefused(Body(Assertion(unknown_key)), 401, "Unknown key ID \"key-9\"");

  ExpectRefused(Body(Assertion(ValidClaims(), StrangerKey())), 401, "does not verify");

  AssertionClaims wrong_issuer = ValidClaims();
  wrong_issuer.iss = "client-2";
  ExpectRefused(Body(Assertion(wrong_issuer)), 401, "Invalid issuer");

  AssertionClaims wrong_subject = ValidClaims();
  wrong_subject.sub = "client-2";
  ExpectRefused(Body(Assertion(wrong_subject)), 401, "Invalid subject");

  AssertionClaims expired = ValidClaims();
  expired.exp = kNow - 1;
  ExpectRefused(Body(Assertion(expired)), 401, "expired");

  AssertionClaims too_long = ValidClaims();
  too_long.exp = kNow + ServiceAccountTokenHandler::kMaxAssertionLifetimeSeconds + 1;
  ExpectRefused(Body(Assertion(too_long)), 401, "at most");

  std::string without_key_claim = *SignJwtRs256(
      R"({"iss":"client-1","sub":"client-1","exp":)" + std::to_string(kNow + 60) + "}",
      ClientKey());
  ExpectRefused(Body(without_key_claim), 401, "no \"key\" claim");
}

TEST_F(ServiceAccountTokenHandlerTest, NeverEchoesTheAssertion) {
  const std::string assertion = Assertion(ValidClaims(), StrangerKey());
  const HttpResponse response = Exchange(Body(assertion));
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.body.find(assertion.substr(assertion.rfind('.') + 1, 20)), std::string::npos);
  EXPECT_EQ(response.body.find(assertion.substr(0, 20)), std::string::npos);
}

TEST(ServiceAccountTokenHandlerWithoutKeysTest, EveryExchangeIsRefusedSayingWhy) {
  const ServiceAccountKeys no_keys({});
  ServiceAccountTokenHandler handler(&no_keys, nullptr, "");
  HttpResponse response;
  handler.Handle(Body(Assertion()), kNow, &response);
  EXPECT_EQ(response.status, 401);
  EXPECT_NE(Message(response).find("without --sa-public-key"), std::string::npos);
}

TEST(ServiceAccountKeySpecTest, ParsesKeyClientAndPath) {
  Result<ServiceAccountKeySpec> spec = ParseServiceAccountKeySpec("k1=c1=/keys/a=b.pem");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->key_id, "k1");
  EXPECT_EQ(spec->client_id, "c1");
  EXPECT_EQ(spec->public_key_path, "/keys/a=b.pem");
  for (const char* bad : {"", "k1", "k1=c1", "=c1=p", "k1==p", "k1=c1="}) {
    EXPECT_EQ(ParseServiceAccountKeySpec(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace skyflow::emulator
