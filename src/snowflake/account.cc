#include "snowflake/account.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <optional>

#include "util/ascii.h"

namespace skyflow::snowflake {
namespace {

constexpr std::string_view kDomain = ".snowflakecomputing.com";
constexpr std::string_view kAccountExample =
    "an account identifier like myorg-myaccount (SELECT CURRENT_ORGANIZATION_NAME() || '-' || "
    "CURRENT_ACCOUNT_NAME() shows it) or a legacy locator like xy12345.us-east-2.aws";

bool IsAsciiLetterOrDigit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool EndsWithIgnoreCase(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         EqualsIgnoreCase(text.substr(text.size() - suffix.size()), suffix);
}

// The account identifier part of a -sf-account value ("myorg-myaccount",
// "xy12345.us-east-2.aws"), checked: labels of letters, digits, '-' and '_'
// separated by single dots, starting with a letter or digit.
Status CheckIdentifier(std::string_view identifier, std::string_view given) {
  const std::string quoted = "-sf-account \"" + std::string(given) + "\"";
  if (identifier.empty())
    return Status::InvalidArgument(quoted + ": expected " + std::string(kAccountExample));
  for (char c : identifier) {
    if (!IsAsciiLetterOrDigit(c) && c != '-' && c != '_' && c != '.') {
      return Status::InvalidArgument(
          quoted +
          ": an account identifier holds only letters, digits, '-', '_' and '.'; expected " +
          std::string(kAccountExample));
    }
  }
  if (!IsAsciiLetterOrDigit(identifier.front()) || identifier.back() == '.' ||
      identifier.find("..") != std::string_view::npos) {
    return Status::InvalidArgument(quoted +
                                   ": it must start with a letter or digit and have no empty "
                                   "part between dots; expected " +
                                   std::string(kAccountExample));
  }
  return Status::Ok();
}

// -sf-account without any scheme and without the snowflakecomputing.com
// domain: "myorg-myaccount", "xy12345.us-east-2.aws".
Result<std::string> AccountIdentifierPart(std::string_view account) {
  std::string_view rest = account;
  if (StartsWithIgnoreCase(rest, "http://")) {
    return Status::InvalidArgument(
        "-sf-account \"" + std::string(account) +
        "\": Snowflake is reached with https:// (http:// would send the PAT or JWT in clear "
        "text); for a local emulator give -sf-url http://127.0.0.1:PORT");
  }
  if (StartsWithIgnoreCase(rest, "https://")) {
    rest.remove_prefix(std::string_view("https://").size());
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    if (!EndsWithIgnoreCase(rest, kDomain)) {
      return Status::InvalidArgument(
          "-sf-account \"" + std::string(account) +
          "\": a URL given as the account must be https://<account>.snowflakecomputing.com; "
          "for another host (an emulator, a proxy) give -sf-url and the account identifier in "
          "-sf-account");
    }
  } else if (rest.find("://") != std::string_view::npos) {
    return Status::InvalidArgument("-sf-account \"" + std::string(account) + "\": expected " +
                                   std::string(kAccountExample));
  }
  if (EndsWithIgnoreCase(rest, kDomain)) rest.remove_suffix(kDomain.size());
  SKYFLOW_RETURN_IF_ERROR(CheckIdentifier(rest, account));
  return std::string(rest);
}

std::string JwtAccount(std::string_view identifier) {
  return AsciiUppered(identifier.substr(0, identifier.find('.')));
}

bool IsLoopbackHost(const std::string& host) {
  if (EqualsIgnoreCase(host, "localhost")) return true;
  std::array<unsigned char, 16> address{};
  if (inet_pton(AF_INET, host.c_str(), address.data()) == 1) return address[0] == 127;
  if (inet_pton(AF_INET6, host.c_str(), address.data()) == 1) {
    constexpr std::array<unsigned char, 16> kLoopback{0, 0, 0, 0, 0, 0, 0, 0,
                                                      0, 0, 0, 0, 0, 0, 0, 1};
    constexpr std::array<unsigned char, 12> kMappedV4{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (address == kLoopback) return true;
    // ::ffff:127.x.x.x, an IPv4 loopback address written as IPv6.
    return std::equal(kMappedV4.begin(), kMappedV4.end(), address.begin()) && address[12] == 127;
  }
  return false;
}

struct ParsedUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower case; an IPv6 address without its brackets
  bool ipv6 = false;
  std::string port;  // digits, or empty
};

Status UrlError(std::string_view why) {
  return Status::InvalidArgument(
      "-sf-url: " + std::string(why) +
      " (expected a base URL like https://myorg-myaccount.snowflakecomputing.com, or "
      "http://127.0.0.1:PORT for a local emulator)");
}

constexpr std::string_view kPortRange = "the port must be a number between 1 and 65535";

Result<ParsedUrl> ParseBaseUrl(std::string_view url) {
  ParsedUrl parsed;
  std::string_view rest = url;
  if (StartsWithIgnoreCase(rest, "https://")) {
    parsed.scheme = "https";
  } else if (StartsWithIgnoreCase(rest, "http://")) {
    parsed.scheme = "http";
  } else {
    return UrlError("it must start with https:// (or http:// for a loopback host)");
  }
  rest.remove_prefix(parsed.scheme.size() + 3);
  const size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  if (authority_end != std::string_view::npos && rest.substr(authority_end) != "/") {
    return UrlError(
        "it must not have a path, query or fragment: the loader adds /api/v2/statements itself");
  }
  if (authority.find('@') != std::string_view::npos) {
    return UrlError(
        "it must not hold a user name or password (user@host): credentials are given with "
        "their own flags");
  }
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return UrlError("an IPv6 address misses its ']'");
    parsed.host = AsciiLowered(authority.substr(1, close - 1));
    parsed.ipv6 = true;
    std::array<unsigned char, 16> address{};
    if (inet_pton(AF_INET6, parsed.host.c_str(), address.data()) != 1) {
      return UrlError("\"" + parsed.host + "\" is not an IPv6 address");
    }
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return UrlError("unexpected text after the IPv6 address");
      port = after.substr(1);
      if (port.empty()) return UrlError("the port after ':' is missing");
    }
  } else {
    const size_t colon = authority.find(':');
    parsed.host = AsciiLowered(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return UrlError("the port after ':' is missing");
    }
    if (parsed.host.empty()) return UrlError("the host is missing");
    for (char c : parsed.host) {
      if (!IsAsciiLetterOrDigit(c) && c != '-' && c != '_' && c != '.') {
        return UrlError("the host holds a character other than letters, digits, '-', '_', '.'");
      }
    }
  }
  if (!port.empty()) {
    int value = 0;
    for (char c : port) {
      if (c < '0' || c > '9' || port.size() > 5) return UrlError(kPortRange);
      value = value * 10 + (c - '0');
    }
    if (value < 1 || value > 65535) return UrlError(kPortRange);
    parsed.port = std::string(port);
  }
  if (parsed.scheme == "http" && !IsLoopbackHost(parsed.host)) {
    return Status::InvalidArgument(
        "-sf-url: http:// is only allowed for a loopback host (127.0.0.1, ::1, localhost), such "
        "as a local emulator; to \"" +
        parsed.host +
        "\" the PAT or JWT would cross the network in clear text: use https:// instead");
  }
  return parsed;
}

}  // namespace

Result<SnowflakeEndpoint> ResolveSnowflakeEndpoint(std::string_view account, std::string_view url) {
  if (account.empty() && url.empty()) {
    return Status::InvalidArgument("-sf-account is required: " + std::string(kAccountExample));
  }
  SnowflakeEndpoint endpoint;
  std::optional<std::string> identifier;
  if (!account.empty()) {
    Result<std::string> part = AccountIdentifierPart(account);
    if (!part.ok()) return part.status();
    identifier = std::move(*part);
    endpoint.account_identifier = JwtAccount(*identifier);
  }
  if (url.empty()) {
    endpoint.base_url = "https://" + AsciiLowered(*identifier) + std::string(kDomain);
    return endpoint;
  }
  Result<ParsedUrl> parsed = ParseBaseUrl(url);
  if (!parsed.ok()) return parsed.status();
  endpoint.base_url = parsed->scheme + "://" +
                      (parsed->ipv6 ? "[" + parsed->host + "]" : parsed->host) +
                      (parsed->port.empty() ? "" : ":" + parsed->port);
  if (!identifier && EndsWithIgnoreCase(parsed->host, kDomain)) {
    const std::string_view host_identifier =
        std::string_view(parsed->host).substr(0, parsed->host.size() - kDomain.size());
    if (!host_identifier.empty()) endpoint.account_identifier = JwtAccount(host_identifier);
  }
  return endpoint;
}

}  // namespace skyflow::snowflake
