// Where the SQL API is and which account a key-pair JWT names, from the
// -sf-account and -sf-url flags.
//
// -sf-account is an account identifier: the preferred "myorg-myaccount" or a
// legacy locator with its region ("xy12345.us-east-2.aws"), or the account's
// host ("xy12345.us-east-2.aws.snowflakecomputing.com") or https URL. The base
// URL is https://<identifier, lower case>.snowflakecomputing.com, and the JWT
// account identifier is the identifier's first label (before any '.'), upper
// case ("MYORG-MYACCOUNT", "XY12345").
//
// -sf-url overrides the host (tests point it at a local emulator): exactly
// scheme://host[:port], no path, query or user information. http:// is only
// accepted for a loopback host (127.0.0.0/8, ::1, localhost), because the PAT
// or JWT would otherwise cross the network in clear text.
//
// Errors (kInvalidArgument) name the flag and say what is expected. Stateless;
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace skyflow::snowflake {

struct SnowflakeEndpoint {
  // "https://myorg-myaccount.snowflakecomputing.com" or "http://127.0.0.1:8080":
  // no trailing '/'; request paths ("/api/v2/statements") are appended to it.
  std::string base_url;
  // "MYORG-MYACCOUNT": the ACCOUNT of a key-pair JWT's iss and sub. Empty only
  // when -sf-account is empty and -sf-url is not a snowflakecomputing.com host.
  std::string account_identifier;
};

// `account` from -sf-account, `url` from -sf-url; either may be empty, not both.
Result<SnowflakeEndpoint> ResolveSnowflakeEndpoint(std::string_view account, std::string_view url);

}  // namespace skyflow::snowflake
