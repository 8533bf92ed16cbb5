#include "snowflake/pat_credentials.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace skyflow::snowflake {
namespace {

constexpr const char* kPat = "pat-SeCrEt-0123456789abcdef";

TEST(PatCredentialsTest, SendsTheTokenAsBearerWithItsType) {
  Result<std::unique_ptr<PatCredentials>> credentials = PatCredentials::Create(kPat, "loader");
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  Result<std::vector<std::string>> headers = (*credentials)->Headers();
  ASSERT_TRUE(headers.ok());
  EXPECT_EQ(*headers, (std::vector<std::string>{
                          "Authorization: Bearer pat-SeCrEt-0123456789abcdef",
                          "X-Snowflake-Authorization-Token-Type: PROGRAMMATIC_ACCESS_TOKEN",
                      }));
  EXPECT_EQ(*(*credentials)->Headers(), *headers);
  EXPECT_EQ((*credentials)->Secrets(), std::vector<std::string>{kPat});
}

TEST(PatCredentialsTest, RetryingAfterARejectionCannotHelp) {
  std::unique_ptr<PatCredentials> credentials = PatCredentials::Create(kPat, "loader").value();
  EXPECT_FALSE(credentials->RenewAfterRejection());
  EXPECT_FALSE(credentials->RenewAfterRejection());
}

TEST(PatCredentialsTest, AdviceNamesNetworkPolicyAndExpiryButNotTheToken) {
  std::unique_ptr<PatCredentials> credentials = PatCredentials::Create(kPat, "LOADER").value();
  const std::string advice = credentials->RejectionAdvice();
  EXPECT_NE(advice.find("network policy"), std::string::npos) << advice;
  EXPECT_NE(advice.find("ALTER USER LOADER SET NETWORK_POLICY"), std::string::npos) << advice;
  EXPECT_NE(advice.find("expired"), std::string::npos) << advice;
  EXPECT_NE(advice.find("15 days"), std::string::npos) << advice;
  EXPECT_EQ(advice.find(kPat), std::string::npos);

  const std::string anonymous = (*PatCredentials::Create(kPat, ""))->RejectionAdvice();
  EXPECT_NE(anonymous.find("ALTER USER <user>"), std::string::npos) << anonymous;
}

TEST(PatCredentialsTest, RefusesAnEmptyTokenOrOneWithControlCharacters) {
  Result<std::unique_ptr<PatCredentials>> empty = PatCredentials::Create("", "loader");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(empty.status().message().find("is empty"), std::string::npos);

  for (const std::string& pat :
       std::vector<std::string>{std::string(kPat) + "\n", std::string(kPat) + "\r\n", "pat\tSeCrEt",
                                std::string("pat\0SeCrEt", 10)}) {
    Result<std::unique_ptr<PatCredentials>> credentials = PatCredentials::Create(pat, "loader");
    ASSERT_FALSE(credentials.ok());
    EXPECT_NE(credentials.status().message().find("control character"), std::string::npos);
    EXPECT_EQ(credentials.status().message().find("SeCrEt"), std::string::npos);
  }
}

}  // namespace
}  // namespace skyflow::snowflake
