#include "snowflake/account.h"

#include <gtest/gtest.h>

#include <string>

namespace skyflow::snowflake {
namespace {

SnowflakeEndpoint Resolve(std::string_view account, std::string_view url) {
  Result<SnowflakeEndpoint> endpoint = ResolveSnowflakeEndpoint(account, url);
  EXPECT_TRUE(endpoint.ok()) << "account \"" << account << "\" url \"" << url
                             << "\": " << endpoint.status().ToString();
  return endpoint.ok() ? *endpoint : SnowflakeEndpoint{};
}

std::string ErrorOf(std::string_view account, std::string_view url) {
  Result<SnowflakeEndpoint> endpoint = ResolveSnowflakeEndpoint(account, url);
  EXPECT_FALSE(endpoint.ok()) << "account \"" << account << "\" url \"" << url << "\" resolved";
  if (endpoint.ok()) return "";
  EXPECT_EQ(endpoint.status().code(), StatusCode::kInvalidArgument);
  return endpoint.status().message();
}

TEST(ResolveSnowflakeEndpointTest, OrganizationAccountIdentifier) {
  const SnowflakeEndpoint endpoint = Resolve("myorg-myaccount", "");
  EXPECT_EQ(endpoint.base_url, "https://myorg-myaccount.snowflakecomputing.com");
  EXPECT_EQ(endpoint.account_identifier, "MYORG-MYACCOUNT");

  const SnowflakeEndpoint upper = Resolve("MyOrg-My_Account", "");
  EXPECT_EQ(upper.base_url, "https://myorg-my_account.snowflakecomputing.com");
  EXPECT_EQ(upper.account_identifier, "MYORG-MY_ACCOUNT");
}

TEST(ResolveSnowflakeEndpointTest, LegacyLocatorKeepsRegionInHostOnly) {
  const SnowflakeEndpoint endpoint = Resolve("xy12345.us-east-2.aws", "");
  EXPECT_EQ(endpoint.base_url, "https://xy12345.us-east-2.aws.snowflakecomputing.com");
  EXPECT_EQ(endpoint.account_identifier, "XY12345");

  const SnowflakeEndpoint privatelink = Resolve("XY12345.us-east-1.privatelink", "");
  EXPECT_EQ(privatelink.base_url, "https://xy12345.us-east-1.privatelink.snowflakecomputing.com");
  EXPECT_EQ(privatelink.account_identifier, "XY12345");
}

TEST(ResolveSnowflakeEndpointTest, AccountGivenAsHostOrHttpsUrl) {
  for (const char* account : {"xy12345.us-east-2.aws.snowflakecomputing.com",
                              "https://xy12345.us-east-2.aws.snowflakecomputing.com",
                              "https://xy12345.us-east-2.aws.snowflakecomputing.com/",
                              "HTTPS://XY12345.US-EAST-2.AWS.SNOWFLAKECOMPUTING.COM"}) {
    const SnowflakeEndpoint endpoint = Resolve(account, "");
    EXPECT_EQ(endpoint.base_url, "https://xy12345.us-east-2.aws.snowflakecomputing.com") << account;
    EXPECT_EQ(endpoint.account_identifier, "XY12345") << account;
  }
  const SnowflakeEndpoint org = Resolve("myorg-myaccount.snowflakecomputing.com", "");
  EXPECT_EQ(org.base_url, "https://myorg-myaccount.snowflakecomputing.com");
  EXPECT_EQ(org.account_identifier, "MYORG-MYACCOUNT");
}

TEST(ResolveSnowflakeEndpointTest, UrlOverridesTheHost) {
  const SnowflakeEndpoint emulator = Resolve("myorg-myaccount", "http://127.0.0.1:8080");
  EXPECT_EQ(emulator.base_url, "http://127.0.0.1:8080");
  EXPECT_EQ(emulator.account_identifier, "MYORG-MYACCOUNT");

  const SnowflakeEndpoint trailing_slash = Resolve("myorg-myaccount", "HTTP://LocalHost:9/");
  EXPECT_EQ(trailing_slash.base_url, "http://localhost:9");

  const SnowflakeEndpoint proxy = Resolve("myorg-myaccount", "https://snowflake-proxy.example.com");
  EXPECT_EQ(proxy.base_url, "https://snowflake-proxy.example.com");
  EXPECT_EQ(proxy.account_identifier, "MYORG-MYACCOUNT");

  const SnowflakeEndpoint ipv6 = Resolve("myorg-myaccount", "http://[::1]:4443");
  EXPECT_EQ(ipv6.base_url, "http://[::1]:4443");
}

TEST(ResolveSnowflakeEndpointTest, UrlAloneNamesTheAccountWhenItIsASnowflakeHost) {
  const SnowflakeEndpoint snowflake = Resolve("", "https://myorg-myaccount.snowflakecomputing.com");
  EXPECT_EQ(snowflake.base_url, "https://myorg-myaccount.snowflakecomputing.com");
  EXPECT_EQ(snowflake.account_identifier, "MYORG-MYACCOUNT");

  const SnowflakeEndpoint legacy = Resolve("", "https://xy12345.eu-west-1.snowflakecomputing.com");
  EXPECT_EQ(legacy.account_identifier, "XY12345");

  const SnowflakeEndpoint emulator = Resolve("", "http://127.0.0.1:8080");
  EXPECT_EQ(emulator.base_url, "http://127.0.0.1:8080");
  EXPECT_EQ(emulator.account_identifier, "");
}

TEST(ResolveSnowflakeEndpointTest, HttpIsAllowedOnlyForLoopbackHosts) {
  for (const char* url : {"http://127.0.0.1:1", "http://127.8.9.10:65535", "http://localhost",
                          "http://[::1]", "http://[::ffff:127.0.0.1]:80"}) {
    EXPECT_EQ(Resolve("a", url).base_url.rfind("http://", 0), 0U) << url;
  }
  for (const char* url :
       {"http://10.0.0.1:8080", "http://myorg-myaccount.snowflakecomputing.com", "http://128.0.0.1",
        "http://[::2]", "http://localhost.example.com", "http://0.0.0.0:80"}) {
    const std::string error = ErrorOf("a", url);
    EXPECT_NE(error.find("-sf-url"), std::string::npos) << error;
    EXPECT_NE(error.find("loopback"), std::string::npos) << error;
    EXPECT_NE(error.find("clear text"), std::string::npos) << error;
    EXPECT_NE(error.find("https://"), std::string::npos) << error;
  }
}

TEST(ResolveSnowflakeEndpointTest, UrlMustBeSchemeHostAndPortOnly) {
  struct Case {
    const char* url;
    const char* expected;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"127.0.0.1:8080", "must start with https://"},
           {"ftp://127.0.0.1", "must start with https://"},
           {"https://host.example.com/api/v2", "path, query or fragment"},
           {"https://host.example.com?x=1", "path, query or fragment"},
           {"https://host.example.com//", "path, query or fragment"},
           {"https://user:secret@host.example.com", "user name or password"},
           {"https://", "host is missing"},
           {"https://:443", "host is missing"},
           {"https://host.example.com:", "port after ':' is missing"},
           {"https://host.example.com:0", "between 1 and 65535"},
           {"https://host.example.com:65536", "between 1 and 65535"},
           {"https://host.example.com:123456", "between 1 and 65535"},
           {"https://host.example.com:8o", "between 1 and 65535"},
           {"https://host example.com", "holds a character"},
           {"https://[::1", "misses its ']'"},
           {"https://[not-ipv6]", "not an IPv6 address"},
           {"https://[::1]x", "after the IPv6 address"},
       }) {
    const std::string error = ErrorOf("myorg-myaccount", c.url);
    EXPECT_NE(error.find(c.expected), std::string::npos) << c.url << ": " << error;
    EXPECT_EQ(error.rfind("-sf-url", 0), 0U) << c.url << ": " << error;
  }
  EXPECT_EQ(ErrorOf("a", "https://user:secret@host.example.com").find("secret"), std::string::npos);
}

TEST(ResolveSnowflakeEndpointTest, AccountCharactersAreChecked) {
  for (const char* account : {"my org", "myorg/myaccount", "myorg-myaccount;", "ä-account",
                              ".myorg", "-myorg", "xy12345..aws", "xy12345.", "my\naccount"}) {
    const std::string error = ErrorOf(account, "");
    EXPECT_EQ(error.rfind("-sf-account", 0), 0U) << account << ": " << error;
    EXPECT_NE(error.find("myorg-myaccount"), std::string::npos) << error;
  }
  EXPECT_NE(ErrorOf("my org", "").find("letters, digits, '-', '_' and '.'"), std::string::npos);
  // Checked even when -sf-url gives the host.
  EXPECT_EQ(ErrorOf("my org", "http://127.0.0.1:1").rfind("-sf-account", 0), 0U);
}

TEST(ResolveSnowflakeEndpointTest, AccountUrlsOtherThanSnowflakeHostsAreRefused) {
  const std::string http = ErrorOf("http://myorg-myaccount.snowflakecomputing.com", "");
  EXPECT_NE(http.find("clear text"), std::string::npos) << http;
  EXPECT_NE(http.find("-sf-url"), std::string::npos) << http;
  const std::string other = ErrorOf("https://proxy.example.com", "");
  EXPECT_NE(other.find("-sf-url"), std::string::npos) << other;
  EXPECT_FALSE(ResolveSnowflakeEndpoint("ftp://myorg-myaccount", "").ok());
  EXPECT_FALSE(ResolveSnowflakeEndpoint(".snowflakecomputing.com", "").ok());
}

TEST(ResolveSnowflakeEndpointTest, SomethingMustBeGiven) {
  const std::string error = ErrorOf("", "");
  EXPECT_NE(error.find("-sf-account is required"), std::string::npos) << error;
}

}  // namespace
}  // namespace skyflow::snowflake
