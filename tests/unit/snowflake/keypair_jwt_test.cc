#include "snowflake/keypair_jwt.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "../util/rsa_test_keys.h"
#include "util/jwt.h"

namespace skyflow::snowflake {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr int64_t kStart = 1'700'000'000;  // 2023-11-14, seconds since 1970
constexpr const char* kPassphrase = "s3cret passphrase";

class FakeWallClock final : public WallClock {
 public:
  TimePoint Now() const override { return TimePoint(seconds(now_.load())); }
  void Advance(std::chrono::seconds by) { now_ += by.count(); }

 private:
  std::atomic<int64_t> now_{kStart};
};

const RsaPrivateKey& TestKey() {
  static const RsaPrivateKey key = *RsaPrivateKey::Generate(2048);
  return key;
}

const RsaPublicKey& TestPublicKey() {
  static const RsaPublicKey key = *RsaPublicKey::FromPrivateKey(TestKey());
  return key;
}

// The key files and the fingerprint the openssl command line computes.
class KeyPairJwtTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    directory_ = new std::string(test_keys::MakeScratchDirectory("keypair_jwt_test"));
    ASSERT_FALSE(directory_->empty());
    ASSERT_TRUE(test_keys::WritePkcs8PrivateKey(TestKey(), PlainPath(), ""));
    ASSERT_TRUE(test_keys::WritePkcs8PrivateKey(TestKey(), EncryptedPath(), kPassphrase));
    fingerprint_ = new std::string(test_keys::OpenSslCliFingerprint(PlainPath()));
    ASSERT_FALSE(fingerprint_->empty()) << "the openssl command line failed";
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*directory_);
    delete directory_;
    delete fingerprint_;
  }
  static std::string PlainPath() { return *directory_ + "/rsa_key.p8"; }
  static std::string EncryptedPath() { return *directory_ + "/rsa_key_encrypted.p8"; }

  std::unique_ptr<KeyPairJwtCredentials> MakeCredentials() {
    Result<std::unique_ptr<KeyPairJwtCredentials>> credentials =
        KeyPairJwtCredentials::Create("myorg-myaccount", "loader", TestKey(), clock_);
    EXPECT_TRUE(credentials.ok()) << credentials.status().ToString();
    return credentials.ok() ? std::move(*credentials) : nullptr;
  }

  static std::string* directory_;
  static std::string* fingerprint_;
  FakeWallClock clock_;
};

std::string* KeyPairJwtTest::directory_ = nullptr;
std::string* KeyPairJwtTest::fingerprint_ = nullptr;

// The JWT of the Authorization header, checked for shape.
std::string BearerToken(SqlApiCredentials& credentials) {
  Result<std::vector<std::string>> headers = credentials.Headers();
  EXPECT_TRUE(headers.ok()) << headers.status().ToString();
  if (!headers.ok() || headers->size() != 2) return "";
  EXPECT_EQ((*headers)[1], "X-Snowflake-Authorization-Token-Type: KEYPAIR_JWT");
  const std::string prefix = "Authorization: Bearer ";
  EXPECT_EQ((*headers)[0].rfind(prefix, 0), 0U);
  return (*headers)[0].substr(prefix.size());
}

JwtClaims VerifiedClaims(const std::string& token) {
  Result<JwtClaims> claims = VerifyJwtRs256(token, TestPublicKey());
  EXPECT_TRUE(claims.ok()) << claims.status().ToString();
  return claims.ok() ? *claims : JwtClaims{};
}

TEST_F(KeyPairJwtTest, ClaimsAreSnowflakesExactly) {
  std::unique_ptr<KeyPairJwtCredentials> credentials = MakeCredentials();
  ASSERT_NE(credentials, nullptr);
  EXPECT_EQ(credentials->fingerprint(), *fingerprint_);

  const std::string token = BearerToken(*credentials);
  const JwtClaims claims = VerifiedClaims(token);
  EXPECT_EQ(claims.iss, "MYORG-MYACCOUNT.LOADER." + *fingerprint_);
  EXPECT_EQ(claims.sub, "MYORG-MYACCOUNT.LOADER");
  EXPECT_EQ(claims.iat, kStart);
  EXPECT_EQ(claims.exp, kStart + 59 * 60);
  Result<DecodedJwt> decoded = DecodeJwt(token);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->alg, "RS256");

  // Another key does not verify it.
  const RsaPrivateKey stranger = *RsaPrivateKey::Generate(2048);
  EXPECT_FALSE(VerifyJwtRs256(token, *RsaPublicKey::FromPrivateKey(stranger)).ok());
}

TEST_F(KeyPairJwtTest, ReSignsOnlyWithinFiveMinutesOfExpiry) {
  std::unique_ptr<KeyPairJwtCredentials> credentials = MakeCredentials();
  ASSERT_NE(credentials, nullptr);
  const std::string first = BearerToken(*credentials);

  clock_.Advance(minutes(53));
  EXPECT_EQ(BearerToken(*credentials), first);
  clock_.Advance(minutes(1) - seconds(1));  // 53:59, 5 min 1 s before expiry
  EXPECT_EQ(BearerToken(*credentials), first);

  clock_.Advance(minutes(1) + seconds(1));  // 55:00
  const std::string second = BearerToken(*credentials);
  ASSERT_NE(second, first);
  const JwtClaims claims = VerifiedClaims(second);
  EXPECT_EQ(claims.iat, kStart + 55 * 60);
  EXPECT_EQ(claims.exp, kStart + 55 * 60 + 59 * 60);
  EXPECT_EQ(claims.iss, "MYORG-MYACCOUNT.LOADER." + *fingerprint_);

  // The new one lasts its own 54 minutes.
  clock_.Advance(minutes(50));
  EXPECT_EQ(BearerToken(*credentials), second);
  // Both are scrubbed from answers while one might still be echoed.
  const std::vector<std::string> secrets = credentials->Secrets();
  EXPECT_EQ(secrets, (std::vector<std::string>{second, first}));
}

TEST_F(KeyPairJwtTest, ReSignsAfterARejectionAtMostOncePerMinute) {
  std::unique_ptr<KeyPairJwtCredentials> credentials = MakeCredentials();
  ASSERT_NE(credentials, nullptr);
  const std::string first = BearerToken(*credentials);

  clock_.Advance(seconds(10));
  EXPECT_TRUE(credentials->RenewAfterRejection());
  const std::string renewed = BearerToken(*credentials);
  EXPECT_NE(renewed, first);
  EXPECT_EQ(VerifiedClaims(renewed).iat, kStart + 10);

  clock_.Advance(seconds(59));
  EXPECT_FALSE(credentials->RenewAfterRejection());
  EXPECT_EQ(BearerToken(*credentials), renewed);

  clock_.Advance(seconds(1));
  EXPECT_TRUE(credentials->RenewAfterRejection());
  EXPECT_EQ(VerifiedClaims(BearerToken(*credentials)).iat, kStart + 70);
}

TEST_F(KeyPairJwtTest, AdviceNamesUserAccountAndFingerprintButNoSecret) {
  std::unique_ptr<KeyPairJwtCredentials> credentials = MakeCredentials();
  ASSERT_NE(credentials, nullptr);
  const std::string token = BearerToken(*credentials);
  const std::string advice = credentials->RejectionAdvice();
  EXPECT_NE(advice.find("user LOADER"), std::string::npos) << advice;
  EXPECT_NE(advice.find("account MYORG-MYACCOUNT"), std::string::npos) << advice;
  EXPECT_NE(advice.find("DESC USER LOADER"), std::string::npos) << advice;
  EXPECT_NE(advice.find("RSA_PUBLIC_KEY_FP"), std::string::npos) << advice;
  EXPECT_NE(advice.find(*fingerprint_), std::string::npos) << advice;
  EXPECT_EQ(advice.find(token), std::string::npos);
  EXPECT_EQ(advice.find(token.substr(token.rfind('.') + 1)), std::string::npos);
}

TEST_F(KeyPairJwtTest, LoadsUnencryptedAndEncryptedKeyFiles) {
  for (const auto& [path, passphrase] : std::vector<std::pair<std::string, std::string>>{
           {PlainPath(), ""}, {PlainPath(), "not needed"}, {EncryptedPath(), kPassphrase}}) {
    Result<RsaPrivateKey> key = LoadSnowflakePrivateKey(path, passphrase);
    ASSERT_TRUE(key.ok()) << path << ": " << key.status().ToString();
    Result<std::unique_ptr<KeyPairJwtCredentials>> credentials =
        KeyPairJwtCredentials::Create("MYORG-MYACCOUNT", "LOADER", *key, clock_);
    ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
    EXPECT_EQ((*credentials)->fingerprint(), *fingerprint_);
    EXPECT_EQ(VerifiedClaims(BearerToken(**credentials)).sub, "MYORG-MYACCOUNT.LOADER");
  }
}

TEST_F(KeyPairJwtTest, AnEncryptedKeyWithoutPassphraseSaysWhereToGiveIt) {
  Result<RsaPrivateKey> key = LoadSnowflakePrivateKey(EncryptedPath(), "");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(key.status().message().rfind(EncryptedPath(), 0), 0U) << key.status().message();
  EXPECT_NE(key.status().message().find("encrypted"), std::string::npos);
  EXPECT_NE(key.status().message().find("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"), std::string::npos)
      << key.status().message();
}

TEST_F(KeyPairJwtTest, AWrongPassphraseIsClearAndNotQuoted) {
  const std::string wrong = "WrongPassphrase-42";
  Result<RsaPrivateKey> key = LoadSnowflakePrivateKey(EncryptedPath(), wrong);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
  const std::string& message = key.status().message();
  EXPECT_EQ(message.rfind(EncryptedPath(), 0), 0U) << message;
  EXPECT_NE(message.find("passphrase"), std::string::npos) << message;
  EXPECT_EQ(message.find(wrong), std::string::npos) << message;
  EXPECT_EQ(message.find(kPassphrase), std::string::npos) << message;
  EXPECT_EQ(message.find("MII"), std::string::npos) << message;  // no DER in base64
}

TEST_F(KeyPairJwtTest, MissingFileOrNamesAreErrors) {
  EXPECT_EQ(LoadSnowflakePrivateKey(*directory_ + "/absent.p8", "").status().code(),
            StatusCode::kNotFound);
  const Result<std::unique_ptr<KeyPairJwtCredentials>> no_account =
      KeyPairJwtCredentials::Create("", "loader", TestKey(), clock_);
  ASSERT_FALSE(no_account.ok());
  EXPECT_NE(no_account.status().message().find("-sf-account"), std::string::npos);
  const Result<std::unique_ptr<KeyPairJwtCredentials>> no_user =
      KeyPairJwtCredentials::Create("MYORG-MYACCOUNT", "", TestKey(), clock_);
  ASSERT_FALSE(no_user.ok());
  EXPECT_NE(no_user.status().message().find("-sf-user"), std::string::npos);
  EXPECT_FALSE(
      KeyPairJwtCredentials::Create("xy12345.us-east-2", "loader", TestKey(), clock_).ok());
}

TEST_F(KeyPairJwtTest, ConcurrentCallersAlwaysGetAValidToken) {
  std::unique_ptr<KeyPairJwtCredentials> credentials = MakeCredentials();
  ASSERT_NE(credentials, nullptr);
  std::atomic<int> invalid{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        if (t == 0) clock_.Advance(minutes(10));
        if (t == 1 && i % 5 == 0) credentials->RenewAfterRejection();
        Result<std::vector<std::string>> headers = credentials->Headers();
        const std::string prefix = "Authorization: Bearer ";
        if (!headers.ok() ||
            !VerifyJwtRs256((*headers)[0].substr(prefix.size()), TestPublicKey()).ok()) {
          ++invalid;
        }
        (void)credentials->Secrets();
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(invalid.load(), 0);
}

}  // namespace
}  // namespace skyflow::snowflake
