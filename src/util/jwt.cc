#include "util/jwt.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <simdjson.h>

#include <cmath>
#include <memory>

#include "util/base64url.h"

namespace skyflow {
namespace {

namespace dom = simdjson::dom;

// Far above any real token (a Skyflow access token is about 1 KB), low
// enough that a hostile one costs little to refuse.
constexpr size_t kMaxTokenBytes = 64 * 1024;

constexpr std::string_view kRs256Header = R"({"alg":"RS256","typ":"JWT"})";

using DigestContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

DigestContext NewDigestContext() {
  return DigestContext(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
}

Status Malformed(std::string_view problem) {
  return Status::ParseError("malformed JWT: " + std::string(problem));
}

Result<std::string> DecodePart(std::string_view part, std::string_view name) {
  if (part.empty()) return Malformed("the " + std::string(name) + " is empty");
  Result<std::string> bytes = Base64UrlDecode(part);
  if (!bytes.ok()) return Malformed("the " + std::string(name) + " is " + bytes.status().message());
  return bytes;
}

Result<dom::object> ParseObject(dom::parser* parser, const std::string& json,
                                std::string_view name) {
  dom::element root;
  if (const auto error = parser->parse(json).get(root); error) {
    return Malformed("the " + std::string(name) + " is not JSON (" +
                     simdjson::error_message(error) + ")");
  }
  dom::object object;
  if (root.get_object().get(object)) {
    return Malformed("the " + std::string(name) + " is not a JSON object");
  }
  return object;
}

Status ReadStringClaim(dom::object claims, std::string_view name, std::optional<std::string>* out) {
  dom::element value;
  if (claims[name].get(value)) return Status::Ok();  // absent
  std::string_view text;
  if (value.get_string().get(text)) {
    return Malformed("claim \"" + std::string(name) + "\" is not a string");
  }
  *out = std::string(text);
  return Status::Ok();
}

Status ReadTimeClaim(dom::object claims, std::string_view name, std::optional<int64_t>* out) {
  dom::element value;
  if (claims[name].get(value)) return Status::Ok();
  int64_t whole = 0;
  double real = 0;
  if (!value.get_int64().get(whole)) {
    *out = whole;
  } else if (!value.get_double().get(real) && std::isfinite(real) && std::fabs(real) < 1e17) {
    *out = static_cast<int64_t>(std::floor(real));  // RFC 7519 allows fractional seconds
  } else {
    return Malformed("claim \"" + std::string(name) + "\" is not a number of seconds since 1970");
  }
  return Status::Ok();
}

Result<JwtClaims> ParseClaims(std::string payload) {
  dom::parser parser;
  Result<dom::object> object = ParseObject(&parser, payload, "payload");
  if (!object.ok()) return object.status();
  JwtClaims claims;
  SKYFLOW_RETURN_IF_ERROR(ReadStringClaim(*object, "iss", &claims.iss));
  SKYFLOW_RETURN_IF_ERROR(ReadStringClaim(*object, "sub", &claims.sub));
  dom::element audience;
  if (!(*object)["aud"].get(audience) && !audience.is_array()) {
    SKYFLOW_RETURN_IF_ERROR(ReadStringClaim(*object, "aud", &claims.aud));
  }
  SKYFLOW_RETURN_IF_ERROR(ReadStringClaim(*object, "key", &claims.key));
  SKYFLOW_RETURN_IF_ERROR(ReadTimeClaim(*object, "exp", &claims.exp));
  SKYFLOW_RETURN_IF_ERROR(ReadTimeClaim(*object, "iat", &claims.iat));
  claims.json = std::move(payload);
  return claims;
}

struct TokenParts {
  std::string_view header, payload, signature;
  std::string_view signing_input;  // header.payload, what the signature covers
};

Result<TokenParts> SplitToken(std::string_view token) {
  if (token.empty()) return Malformed("the token is empty");
  if (token.size() > kMaxTokenBytes) {
    return Malformed("the token is " + std::to_string(token.size()) + " bytes, more than " +
                     std::to_string(kMaxTokenBytes));
  }
  const size_t first = token.find('.');
  const size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos) {
    return Malformed("expected three base64url parts separated by '.' (header.payload.signature)");
  }
  if (token.find('.', second + 1) != std::string_view::npos) {
    return Malformed("more than three parts (an encrypted JWE is not supported)");
  }
  TokenParts parts;
  parts.header = token.substr(0, first);
  parts.payload = token.substr(first + 1, second - first - 1);
  parts.signature = token.substr(second + 1);
  parts.signing_input = token.substr(0, second);
  return parts;
}

}  // namespace

Result<std::string> SignJwtRs256(std::string_view claims_json, const RsaPrivateKey& key) {
  {
    dom::parser parser;
    Result<dom::object> object = ParseObject(&parser, std::string(claims_json), "claims");
    if (!object.ok()) {
      return Status::InvalidArgument("cannot sign: " + object.status().message());
    }
  }
  std::string token = Base64UrlEncode(kRs256Header);
  token.push_back('.');
  token += Base64UrlEncode(claims_json);

  DigestContext context = NewDigestContext();
  size_t length = 0;
  if (!context ||
      EVP_DigestSignInit_ex(context.get(), nullptr, "SHA256", nullptr, nullptr, key.get(),
                            nullptr) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &length,
                     reinterpret_cast<const unsigned char*>(token.data()), token.size()) != 1) {
    ERR_clear_error();
    return Status::Internal("OpenSSL cannot sign with the RSA key (RS256)");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(token.data()), token.size()) != 1) {
    ERR_clear_error();
    return Status::Internal("OpenSSL cannot sign with the RSA key (RS256)");
  }
  signature.resize(length);
  token.push_back('.');
  token += Base64UrlEncode(signature);
  return token;
}

namespace {

// DecodeJwt, also handing back what a signature check needs: the signed
// bytes (header.payload) and the decoded signature.
Result<DecodedJwt> DecodeSigned(std::string_view token, std::string_view* signing_input,
                                std::string* signature_bytes) {
  Result<TokenParts> parts = SplitToken(token);
  if (!parts.ok()) return parts.status();
  Result<std::string> header = DecodePart(parts->header, "header");
  if (!header.ok()) return header.status();
  Result<std::string> payload = DecodePart(parts->payload, "payload");
  if (!payload.ok()) return payload.status();
  if (parts->signature.empty())
    return Malformed("the signature is empty (unsigned tokens are refused)");
  Result<std::string> signature = Base64UrlDecode(parts->signature);
  if (!signature.ok()) return Malformed("the signature is " + signature.status().message());
  *signing_input = parts->signing_input;
  *signature_bytes = std::move(*signature);

  DecodedJwt decoded;
  {
    dom::parser parser;
    Result<dom::object> object = ParseObject(&parser, *header, "header");
    if (!object.ok()) return object.status();
    std::string_view alg;
    if ((*object)["alg"].get_string().get(alg)) {
      return Malformed("the header has no string \"alg\"");
    }
    decoded.alg = std::string(alg);
  }
  Result<JwtClaims> claims = ParseClaims(std::move(*payload));
  if (!claims.ok()) return claims.status();
  decoded.claims = std::move(*claims);
  return decoded;
}

}  // namespace

Result<DecodedJwt> DecodeJwt(std::string_view token) {
  std::string_view signing_input;
  std::string signature;
  return DecodeSigned(token, &signing_input, &signature);
}

Result<JwtClaims> VerifyJwtRs256(std::string_view token, const RsaPublicKey& key) {
  std::string_view signing_input;
  std::string signature;
  Result<DecodedJwt> decoded = DecodeSigned(token, &signing_input, &signature);
  if (!decoded.ok()) return decoded.status();
  if (decoded->alg != "RS256") {
    std::string shown;
    for (const char c : decoded->alg.substr(0, 16))
      shown.push_back(c > 0x20 && c < 0x7F && c != '"' ? c : '?');
    return Status::Unauthenticated("the JWT is signed with \"" + shown +
                                   "\"; only RS256 is accepted");
  }
  DigestContext context = NewDigestContext();
  if (!context || EVP_DigestVerifyInit_ex(context.get(), nullptr, "SHA256", nullptr, nullptr,
                                          key.get(), nullptr) != 1) {
    ERR_clear_error();
    return Status::Internal("OpenSSL cannot verify with the RSA key (RS256)");
  }
  const int verified = EVP_DigestVerify(
      context.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
      reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
  if (verified != 1) {
    ERR_clear_error();
    return Status::Unauthenticated(
        "the JWT signature does not verify with the public key (signed with another key, or "
        "altered after signing)");
  }
  return std::move(decoded->claims);
}

Status CheckJwtExpiry(const JwtClaims& claims, int64_t now_seconds) {
  if (!claims.exp) return Status::Unauthenticated("the JWT has no \"exp\" claim");
  if (*claims.exp <= now_seconds) {
    return Status::Unauthenticated("the JWT expired " + std::to_string(now_seconds - *claims.exp) +
                                   " s ago (exp " + std::to_string(*claims.exp) + ", now " +
                                   std::to_string(now_seconds) + ")");
  }
  return Status::Ok();
}

}  // namespace skyflow
