#include "emulator/api/service_account_token_handler.h"

#include <simdjson.h>

#include "emulator/api/api_error.h"
#include "util/json_writer.h"
#include "util/jwt.h"

namespace skyflow::emulator {
namespace {

namespace dom = simdjson::dom;

constexpr std::string_view kBodyShape =
    R"({"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","assertion":"<signed JWT>"})";

// An identifier or URI from the assertion, for a message: printable ASCII,
// bounded, so that it cannot break the JSON or flood a log. Key IDs, client
// IDs and URIs are not secrets; the assertion itself is never shown.
std::string ShownIdentifier(std::string_view text) {
  constexpr size_t kMaxShown = 100;
  std::string shown = "\"";
  for (size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    const char c = text[i];
    shown.push_back(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? c : '?');
  }
  if (text.size() > kMaxShown) shown += "...";
  shown.push_back('"');
  return shown;
}

void Unauthenticated(std::string_view problem, HttpResponse* response) {
  WriteApiError(401, "Authentication failed. " + std::string(problem), response);
}

}  // namespace

ServiceAccountTokenHandler::ServiceAccountTokenHandler(const ServiceAccountKeys* keys,
                                                       AccessTokenIssuer* issuer,
                                                       std::string token_uri)
    : keys_(keys), issuer_(issuer), token_uri_(std::move(token_uri)) {}

void ServiceAccountTokenHandler::Handle(std::string_view body, int64_t now_seconds,
                                        HttpResponse* response) {
  dom::parser parser;
  dom::object request;
  if (parser.parse(body.data(), body.size()).get_object().get(request)) {
    WriteApiError(400, "Invalid request. The body must be a JSON object " + std::string(kBodyShape),
                  response);
    return;
  }
  std::string_view grant_type;
  if (request["grant_type"].get_string().get(grant_type) || grant_type != kGrantType) {
    WriteApiError(400,
                  "Invalid request. grant_type must be \"" + std::string(kGrantType) +
                      "\" (the JWT bearer grant, RFC 7523)",
                  response);
    return;
  }
  std::string_view assertion;
  if (request["assertion"].get_string().get(assertion) || assertion.empty()) {
    WriteApiError(400,
                  "Invalid request. assertion must be the signed JWT, a non-empty string: " +
                      std::string(kBodyShape),
                  response);
    return;
  }
  std::string_view scope;
  if (dom::element value; !request["scope"].get(value) && value.get_string().get(scope)) {
    WriteApiError(400, "Invalid request. scope must be a string, for example \"role:<roleID>\"",
                  response);
    return;
  }

  Result<DecodedJwt> decoded = DecodeJwt(assertion);
  if (!decoded.ok()) {
    Unauthenticated("The assertion is not a valid JWT: " + decoded.status().message(), response);
    return;
  }
  if (!decoded->claims.key) {
    Unauthenticated(
        "The assertion has no \"key\" claim; set it to the keyID of the service account's "
        "credentials.json",
        response);
    return;
  }
  const std::string& key_id = *decoded->claims.key;
  const ServiceAccountKey* key = keys_->Find(key_id);
  if (key == nullptr || issuer_ == nullptr) {
    Unauthenticated(keys_->empty()
                        ? "Unknown key ID " + ShownIdentifier(key_id) +
                              ": this emulator was started without --sa-public-key, so it accepts "
                              "no service-account assertion"
                        : "Unknown key ID " + ShownIdentifier(key_id) +
                              ": no --sa-public-key was given for it; start the emulator with "
                              "--sa-public-key KEY_ID=CLIENT_ID=PUBLIC_KEY.pem",
                    response);
    return;
  }
  Result<JwtClaims> claims = VerifyJwtRs256(assertion, key->public_key);
  if (!claims.ok()) {
    Unauthenticated("The assertion does not verify with the public key of key ID " + ShownIdentifier(key_id) +
                        ": " + claims.status().message(),
                    response);
    return;
  }
  if (claims->iss != key->client_id) {
    Unauthenticated("Invalid issuer. The assertion's \"iss\" must be the clientID " +
                        ShownIdentifier(key->client_id) + " of key ID " + ShownIdentifier(key_id),
                    response);
    return;
  }
  if (claims->sub != key->client_id) {
    Unauthenticated("Invalid subject. The assertion's \"sub\" must be the clientID " +
                        ShownIdentifier(key->client_id) + " of key ID " + ShownIdentifier(key_id),
                    response);
    return;
  }
  if (!token_uri_.empty() && claims->aud != token_uri_) {
    Unauthenticated(
        "Invalid audience. The assertion's \"aud\" must be the tokenURI " + ShownIdentifier(token_uri_) +
            (claims->aud ? ", not " + ShownIdentifier(*claims->aud) : std::string(", and is missing")),
        response);
    return;
  }
  if (Status expiry = CheckJwtExpiry(*claims, now_seconds); !expiry.ok()) {
    Unauthenticated("The assertion is not current: " + expiry.message() +
                        "; sign a new one with \"exp\" a few minutes ahead",
                    response);
    return;
  }
  if (*claims->exp - now_seconds > kMaxAssertionLifetimeSeconds) {
    Unauthenticated("The assertion's \"exp\" is " + std::to_string(*claims->exp - now_seconds) +
                        " s ahead; it may be at most " +
                        std::to_string(kMaxAssertionLifetimeSeconds) +
                        " s (60 minutes and 5 of clock skew)",
                    response);
    return;
  }

  Result<std::string> token = issuer_->Issue(key->client_id, key_id, scope, now_seconds);
  if (!token.ok()) {
    WriteApiError(500, "Cannot sign the access token: " + token.status().message(), response);
    return;
  }
  response->status = 200;
  response->body.clear();
  JsonWriter json(&response->body);
  json.BeginObject().Field("accessToken", *token).Field("tokenType", "Bearer").EndObject();
}

}  // namespace skyflow::emulator
