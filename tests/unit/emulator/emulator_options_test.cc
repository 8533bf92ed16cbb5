#include "emulator/emulator_options.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace skyflow::emulator {
namespace {

TEST(EmulatorOptionsTest, Defaults) {
  const auto options = ParseEmulatorOptions({});
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->listen_host, "127.0.0.1");
  EXPECT_EQ(options->listen_port, 0);
  EXPECT_TRUE(options->bearer_tokens.empty());
  EXPECT_EQ(options->threads, 0);
  EXPECT_EQ(options->faults.retry_after_seconds, 1);
  EXPECT_FALSE(options->faults.any());
  EXPECT_EQ(options->conflict_status, 409);
  EXPECT_EQ(options->max_body_bytes, 64u << 20);
  EXPECT_EQ(options->body_limit_status, 400);
  EXPECT_EQ(options->max_records_per_request, 0u);
  EXPECT_FALSE(options->seed_given);
}

TEST(EmulatorOptionsTest, EveryFlag) {
  const auto options = ParseEmulatorOptions({"--listen",
                                             "0.0.0.0:8080",
                                             "--port-file=/tmp/p",
                                             "--bearer-token",
                                             "a",
                                             "--bearer-token=b",
                                             "--bearer-token-file",
                                             "/tmp/t",
                                             "--threads",
                                             "3",
                                             "--fault-429",
                                             "0.25",
                                             "--fault-503=0.125",
                                             "--fault-500",
                                             "0.5",
                                             "--fault-408",
                                             "0",
                                             "--retry-after",
                                             "0",
                                             "--seed",
                                             "99",
                                             "--conflict-status",
                                             "400",
                                             "--max-body-bytes",
                                             "1000",
                                             "--body-limit-status",
                                             "413",
                                             "--max-records-per-request",
                                             "300"});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->listen_host, "0.0.0.0");
  EXPECT_EQ(options->listen_port, 8080);
  EXPECT_EQ(options->port_file, "/tmp/p");
  EXPECT_EQ(options->bearer_tokens, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(options->bearer_token_files, (std::vector<std::string>{"/tmp/t"}));
  EXPECT_EQ(options->threads, 3);
  EXPECT_DOUBLE_EQ(options->faults.probability_429, 0.25);
  EXPECT_DOUBLE_EQ(options->faults.probability_503, 0.125);
  EXPECT_DOUBLE_EQ(options->faults.probability_500, 0.5);
  EXPECT_EQ(options->faults.retry_after_seconds, 0);
  EXPECT_TRUE(options->seed_given);
  EXPECT_EQ(options->seed, 99u);
  EXPECT_EQ(options->conflict_status, 400);
  EXPECT_EQ(options->max_body_bytes, 1000u);
  EXPECT_EQ(options->body_limit_status, 413);
  EXPECT_EQ(options->max_records_per_request, 300u);
}

TEST(EmulatorOptionsTest, OutOfRangeFaultTimesNameTheirBound) {
  const auto schedule = ParseEmulatorOptions({"--fault-schedule", "1e20+1:503"});
  ASSERT_FALSE(schedule.ok());
  EXPECT_NE(schedule.status().message().find("at most 86400 seconds"), std::string::npos)
      << schedule.status().message();
  const auto latency = ParseEmulatorOptions({"--latency-ms", "3600000"});
  ASSERT_FALSE(latency.ok());
  EXPECT_NE(latency.status().message().find("600000"), std::string::npos)
      << latency.status().message();
}

TEST(EmulatorOptionsTest, Ipv6Listen) {
  const auto options = ParseEmulatorOptions({"--listen", "[::1]:0"});
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->listen_host, "::1");
}

TEST(EmulatorOptionsTest, Help) {
  const auto options = ParseEmulatorOptions({"--help"});
  ASSERT_TRUE(options.ok());
  EXPECT_TRUE(options->show_help);
  EXPECT_NE(UsageText().find("--fault-429"), std::string::npos);
}

TEST(EmulatorOptionsTest, RejectsInvalidFlags) {
  const std::vector<std::vector<std::string>> invalid = {
      {"--nope", "1"},
      {"--listen", "8080"},
      {"--listen", "127.0.0.1:70000"},
      {"--threads", "0"},
      {"--threads", "two"},
      {"--fault-429", "1.5"},
      {"--fault-429", "-0.1"},
      {"--fault-429", "0.6", "--fault-503", "0.6"},
      {"--conflict-status", "422"},
      {"--max-body-bytes", "0"},
      {"--body-limit-status", "500"},
      {"--fault-schedule", "1e20+1:503"},
      {"--fault-schedule", "1+86401:503"},
      {"--latency-ms", "600001"},
      {"--seed"},
      {"stray"},
      {"--bearer-token", ""},
  };
  for (const auto& args : invalid) {
    const auto options = ParseEmulatorOptions(args);
    EXPECT_FALSE(options.ok()) << args[0];
    if (!options.ok()) {
      EXPECT_EQ(options.status().code(), StatusCode::kInvalidArgument);
    }
  }
}

TEST(EmulatorOptionsTest, NamesAnUnknownFlagEvenWithoutAValue) {
  const auto options = ParseEmulatorOptions({"--bogus"});
  ASSERT_FALSE(options.ok());
  EXPECT_EQ(options.status().message(), "--bogus: unknown flag");
}

TEST(EmulatorOptionsTest, LoadsBearerTokensFromAFile) {
  const std::string path = ::testing::TempDir() + "emulator_tokens.txt";
  {
    std::ofstream file(path);
    file << "first-token\r\n\n  second-token  \n";
  }
  auto options =
      ParseEmulatorOptions({"--bearer-token", "argv-token", "--bearer-token-file", path});
  ASSERT_TRUE(options.ok());
  ASSERT_TRUE(LoadBearerTokenFiles(&options.value()).ok());
  EXPECT_EQ(options->bearer_tokens,
            (std::vector<std::string>{"argv-token", "first-token", "second-token"}));
  std::remove(path.c_str());

  auto missing = ParseEmulatorOptions({"--bearer-token-file", path + ".missing"});
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(LoadBearerTokenFiles(&missing.value()).ok());
}

TEST(EmulatorOptionsTest, ServiceAccountFlags) {
  const auto options = ParseEmulatorOptions(
      {"--sa-public-key", "k1=c1=/keys/one.pem", "--sa-public-key=k2=c2=/keys/two.pem",
       "--sa-token-uri", "https://manage.example/v1/auth/sa/oauth/token", "--access-token-lifetime",
       "2"});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  ASSERT_EQ(options->sa_public_keys.size(), 2u);
  EXPECT_EQ(options->sa_public_keys[1].key_id, "k2");
  EXPECT_EQ(options->sa_public_keys[1].client_id, "c2");
  EXPECT_EQ(options->sa_public_keys[1].public_key_path, "/keys/two.pem");
  EXPECT_EQ(options->sa_token_uri, "https://manage.example/v1/auth/sa/oauth/token");
  EXPECT_EQ(options->access_token_lifetime_seconds, 2);
  EXPECT_EQ(ParseEmulatorOptions({}).value().access_token_lifetime_seconds, 3600);

  EXPECT_FALSE(ParseEmulatorOptions({"--sa-public-key", "k1=/keys/one.pem"}).ok());
  EXPECT_FALSE(
      ParseEmulatorOptions({"--sa-public-key", "k1=c1=/a.pem", "--sa-public-key", "k1=c2=/b.pem"})
          .ok());
  EXPECT_FALSE(ParseEmulatorOptions({"--access-token-lifetime", "0"}).ok());
  EXPECT_FALSE(ParseEmulatorOptions({"--sa-token-uri="}).ok());
}

TEST(EmulatorOptionsTest, SchemaFile) {
  EXPECT_TRUE(ParseEmulatorOptions({})->schema_file.empty());
  EXPECT_EQ(ParseEmulatorOptions({"--schema", "s.json"})->schema_file, "s.json");
  EXPECT_EQ(ParseEmulatorOptions({"--schema=t.json"})->schema_file, "t.json");
  const auto empty = ParseEmulatorOptions({"--schema="});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(), "--schema: expected a file name");
}

TEST(EmulatorOptionsTest, TlsAndTimeouts) {
  const auto defaults = ParseEmulatorOptions({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->tls_cert_file.empty());
  EXPECT_EQ(defaults->idle_timeout_seconds, 60u);
  EXPECT_EQ(defaults->header_timeout_seconds, 30u);

  const auto options = ParseEmulatorOptions({"--tls-cert", "/tmp/c.pem", "--tls-key=/tmp/k.pem",
                                             "--idle-timeout", "0", "--header-timeout=5"});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->tls_cert_file, "/tmp/c.pem");
  EXPECT_EQ(options->tls_key_file, "/tmp/k.pem");
  EXPECT_EQ(options->idle_timeout_seconds, 0u);
  EXPECT_EQ(options->header_timeout_seconds, 5u);

  const auto cert_alone = ParseEmulatorOptions({"--tls-cert", "/tmp/c.pem"});
  ASSERT_FALSE(cert_alone.ok());
  EXPECT_NE(cert_alone.status().message().find("needs --tls-key"), std::string::npos);
  const auto key_alone = ParseEmulatorOptions({"--tls-key", "/tmp/k.pem"});
  ASSERT_FALSE(key_alone.ok());
  EXPECT_NE(key_alone.status().message().find("needs --tls-cert"), std::string::npos);
  EXPECT_FALSE(ParseEmulatorOptions({"--idle-timeout", "-1"}).ok());
  EXPECT_FALSE(ParseEmulatorOptions({"--header-timeout", "soon"}).ok());
}

}  // namespace
}  // namespace skyflow::emulator
