#include "util/redact.h"

#include <gtest/gtest.h>

namespace skyflow {
namespace {

TEST(RedactTest, NeverContainsTheSecret) {
  const std::string secret = "eyJhbGciOiJSUzI1NiJ9.secret-part";
  const std::string shown = Redact(secret);
  EXPECT_EQ(shown.find("secret-part"), std::string::npos);
  EXPECT_NE(shown.find(std::to_string(secret.size())), std::string::npos);
  EXPECT_EQ(Redact(""), "<empty>");
}

TEST(RedactTest, DistinguishesSecrets) {
  EXPECT_NE(Redact("token-a"), Redact("token-b"));
}

TEST(RedactTest, ScrubsEveryOccurrence) {
  const std::string text = ScrubSecrets("Bearer abc123 and abc123 again", {"abc123", ""});
  EXPECT_EQ(text.find("abc123"), std::string::npos);
  EXPECT_NE(text.find("Bearer <redacted"), std::string::npos);
}

// A placeholder token such as "x" would otherwise turn every "x" of every
// message into a redaction.
TEST(RedactTest, LeavesTooShortSecretsAlone) {
  EXPECT_EQ(ScrubSecrets("exit code 3: fix the token", {"x", "3", "fix"}),
            "exit code 3: fix the token");
  EXPECT_EQ(ScrubSecrets("token abcd", {"abcd"}).find("abcd"), std::string::npos);
}

}  // namespace
}  // namespace skyflow
