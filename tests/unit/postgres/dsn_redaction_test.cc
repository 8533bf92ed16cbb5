#include "postgres/dsn_redaction.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace skyflow::postgres {
namespace {

constexpr char kPassword[] = "S3cret-Pa55";

void ExpectNoPassword(const std::string& text) {
  EXPECT_EQ(text.find(kPassword), std::string::npos) << text;
  EXPECT_EQ(text.find("S3cret"), std::string::npos) << text;
}

TEST(DsnRedactionTest, KeywordValueFormLosesOnlyThePassword) {
  const std::string dsn = "host=db.internal port=5433 dbname=poc user=loader password=S3cret-Pa55";
  Result<std::string> shown = DsnWithoutPassword(dsn);
  ASSERT_TRUE(shown.ok()) << shown.status().message();
  EXPECT_EQ(*shown, "user=loader dbname=poc host=db.internal port=5433");
  EXPECT_EQ(DsnPasswords(dsn), std::vector<std::string>{kPassword});
}

TEST(DsnRedactionTest, QuotedPasswordsWithSpacesQuotesAndBackslashesAreFound) {
  const std::string dsn = R"(host=h password='a b\'c\\d' dbname='my db')";
  Result<std::string> shown = DsnWithoutPassword(dsn);
  ASSERT_TRUE(shown.ok()) << shown.status().message();
  EXPECT_EQ(*shown, "dbname='my db' host=h");
  EXPECT_EQ(DsnPasswords(dsn), std::vector<std::string>{R"(a b'c\d)"});
}

TEST(DsnRedactionTest, UriUserInfoAndQueryPasswordsAreRemoved) {
  for (const std::string dsn :
       {"postgres://loader:S3cret-Pa55@127.0.0.1:5432/poc",
        "postgresql://loader@127.0.0.1:5432/poc?password=S3cret-Pa55&sslmode=disable",
        "postgres://loader:S3cret%2DPa55@127.0.0.1/poc"}) {
    Result<std::string> shown = DsnWithoutPassword(dsn);
    ASSERT_TRUE(shown.ok()) << dsn << ": " << shown.status().message();
    ExpectNoPassword(*shown);
    EXPECT_NE(shown->find("user=loader"), std::string::npos) << *shown;
    EXPECT_NE(shown->find("dbname=poc"), std::string::npos) << *shown;
    EXPECT_EQ(DsnPasswords(dsn), std::vector<std::string>{kPassword}) << dsn;
  }
}

TEST(DsnRedactionTest, ConnectionStringNestedInDbnameIsRedactedToo) {
  const std::string dsn = "dbname='postgres://u:S3cret-Pa55@h/d' connect_timeout=5";
  Result<std::string> shown = DsnWithoutPassword(dsn);
  ASSERT_TRUE(shown.ok()) << shown.status().message();
  ExpectNoPassword(*shown);
  EXPECT_EQ(DsnPasswords(dsn), std::vector<std::string>{kPassword});
}

TEST(DsnRedactionTest, EmptyDsnMeansTheEnvironment) {
  Result<std::string> shown = DsnWithoutPassword("");
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(*shown, "");
  EXPECT_TRUE(DsnPasswords("").empty());
  EXPECT_EQ(DescribeDsn(""), "the PG* environment variables");
  EXPECT_EQ(DescribeDsn("host=h dbname=d"), "\"dbname=d host=h\"");
}

TEST(DsnRedactionTest, MalformedStringsAreRefusedWithoutQuotingThePassword) {
  // libpq's reason would quote "b'", a piece of the password.
  Result<std::string> shown = DsnWithoutPassword("host=h password=S3cret Pa55");
  ASSERT_FALSE(shown.ok());
  EXPECT_EQ(shown.status().code(), StatusCode::kInvalidArgument);
  ExpectNoPassword(shown.status().message());
  EXPECT_EQ(shown.status().message().find("Pa55"), std::string::npos);
  EXPECT_NE(shown.status().message().find("keyword=value"), std::string::npos);
  EXPECT_EQ(DescribeDsn("host=h password=S3cret Pa55"), "a connection string libpq cannot parse");
  // Without a password libpq's reason helps and is shown.
  Result<std::string> typo = DsnWithoutPassword("host=h bogus=1");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("bogus"), std::string::npos) << typo.status().message();
}

}  // namespace
}  // namespace skyflow::postgres
