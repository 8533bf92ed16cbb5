#include "util/rsa_key.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "rsa_test_keys.h"

namespace skyflow {
namespace {

const RsaPrivateKey& TestKey() {
  static const RsaPrivateKey key = *RsaPrivateKey::Generate(2048);
  return key;
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

class RsaKeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = test_keys::MakeScratchDirectory("rsa_key_test");
    ASSERT_FALSE(directory_.empty());
    plain_path_ = directory_ + "/plain.p8";
    encrypted_path_ = directory_ + "/encrypted.p8";
    ASSERT_TRUE(test_keys::WritePkcs8PrivateKey(TestKey(), plain_path_, ""));
    ASSERT_TRUE(test_keys::WritePkcs8PrivateKey(TestKey(), encrypted_path_, kPassphrase));
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  static constexpr const char* kPassphrase = "correct horse battery staple";
  std::string directory_;
  std::string plain_path_;
  std::string encrypted_path_;
};

std::string FingerprintOf(const RsaPrivateKey& key) {
  Result<RsaPublicKey> public_key = RsaPublicKey::FromPrivateKey(key);
  if (!public_key.ok()) return "";
  Result<std::string> fingerprint = public_key->Sha256Fingerprint();
  return fingerprint.ok() ? *fingerprint : "";
}

TEST_F(RsaKeyFileTest, FilesAreTheFormatsSnowflakeUses) {
  EXPECT_NE(ReadFile(plain_path_).find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  EXPECT_NE(ReadFile(encrypted_path_).find("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
            std::string::npos);
  EXPECT_FALSE(RsaPrivateKey::IsEncryptedPem(ReadFile(plain_path_)));
  EXPECT_TRUE(RsaPrivateKey::IsEncryptedPem(ReadFile(encrypted_path_)));
}

TEST_F(RsaKeyFileTest, LoadsAnEncryptedKeyWithItsPassphrase) {
  Result<RsaPrivateKey> key = RsaPrivateKey::FromPemFile(encrypted_path_, kPassphrase);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->bits(), 2048);
  EXPECT_EQ(FingerprintOf(*key), FingerprintOf(TestKey()));

  Result<RsaPrivateKey> from_pem = RsaPrivateKey::FromPem(ReadFile(encrypted_path_), kPassphrase);
  ASSERT_TRUE(from_pem.ok()) << from_pem.status().ToString();
  EXPECT_EQ(FingerprintOf(*from_pem), FingerprintOf(TestKey()));
}

TEST_F(RsaKeyFileTest, LoadsAnUnencryptedKeyWithOrWithoutAPassphrase) {
  Result<RsaPrivateKey> plain = RsaPrivateKey::FromPemFile(plain_path_);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(FingerprintOf(*plain), FingerprintOf(TestKey()));
  // A passphrase set in the environment for another key does no harm.
  Result<RsaPrivateKey> with_passphrase = RsaPrivateKey::FromPemFile(plain_path_, "unused");
  ASSERT_TRUE(with_passphrase.ok()) << with_passphrase.status().ToString();
  EXPECT_EQ(FingerprintOf(*with_passphrase), FingerprintOf(TestKey()));
}

TEST_F(RsaKeyFileTest, RefusesAnEncryptedKeyWithoutPassphrase) {
  for (const Result<RsaPrivateKey>& key : {RsaPrivateKey::FromPemFile(encrypted_path_),
                                           RsaPrivateKey::FromPemFile(encrypted_path_, ""),
                                           RsaPrivateKey::FromPem(ReadFile(encrypted_path_))}) {
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(key.status().message().find("encrypted and no passphrase was given"),
              std::string::npos)
        << key.status().message();
  }
  EXPECT_EQ(
      RsaPrivateKey::FromPemFile(encrypted_path_).status().message().rfind(encrypted_path_, 0), 0U);
}

TEST_F(RsaKeyFileTest, AWrongPassphraseIsAClearErrorWithoutSecrets) {
  const std::string wrong = "Tr0ub4dor&3-wrong";
  Result<RsaPrivateKey> key = RsaPrivateKey::FromPemFile(encrypted_path_, wrong);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
  const std::string& message = key.status().message();
  EXPECT_NE(message.find("cannot be decrypted with the passphrase given"), std::string::npos)
      << message;
  EXPECT_NE(message.find(encrypted_path_), std::string::npos);
  EXPECT_EQ(message.find(wrong), std::string::npos);
  EXPECT_EQ(message.find(kPassphrase), std::string::npos);
  // No line of the key file (base64 of the encrypted key) is quoted.
  std::istringstream lines(ReadFile(encrypted_path_));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("-----", 0) == 0 || line.size() < 16) continue;
    EXPECT_EQ(message.find(line.substr(0, 16)), std::string::npos);
  }
}

TEST_F(RsaKeyFileTest, FingerprintMatchesTheOpenSslCommandLine) {
  const std::string expected = test_keys::OpenSslCliFingerprint(plain_path_);
  ASSERT_FALSE(expected.empty()) << "the openssl command line failed";
  EXPECT_EQ(FingerprintOf(TestKey()), expected);

  // The same from a public key read back from PEM.
  Result<RsaPublicKey> public_key = RsaPublicKey::FromPrivateKey(TestKey());
  ASSERT_TRUE(public_key.ok());
  Result<RsaPublicKey> reloaded = RsaPublicKey::FromPem(*public_key->ToPem());
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  EXPECT_EQ(*reloaded->Sha256Fingerprint(), expected);
}

TEST(RsaKeyTest, FingerprintIsPaddedStandardBase64OfADigest) {
  Result<RsaPublicKey> public_key = RsaPublicKey::FromPrivateKey(TestKey());
  ASSERT_TRUE(public_key.ok());
  const std::string fingerprint = *public_key->Sha256Fingerprint();
  ASSERT_EQ(fingerprint.size(), 7U + 44U);  // 32 bytes: 43 characters and one '='
  EXPECT_EQ(fingerprint.rfind("SHA256:", 0), 0U);
  EXPECT_EQ(fingerprint.back(), '=');
  EXPECT_EQ(fingerprint.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", 7),
            std::string::npos);
  const RsaPrivateKey other = *RsaPrivateKey::Generate(2048);
  EXPECT_NE(*RsaPublicKey::FromPrivateKey(other)->Sha256Fingerprint(), fingerprint);
}

}  // namespace
}  // namespace skyflow
