// VerifyVault against a fake transport, a fake clock and an in-memory vault:
// what it counts, what it lists, how it retries, when it stops.
#include "pipeline/run_verify.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "fake_vault.h"
#include "vector_source.h"

namespace skyflow {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::Answer;
using testing::FakeAnswer;
using testing::FakeClock;
using testing::FakeTransport;
using testing::FakeVault;
using testing::NumberedRows;
using testing::VectorSource;

class RunVerifyTest : public ::testing::Test {
 protected:
  RunVerifyTest() : list_path_(::testing::TempDir() + "/run_verify_" + std::to_string(::getpid())) {
    options_.vault_url = "http://vault.test";
    options_.headers = {"Authorization: Bearer secret-token-123"};
    options_.secrets = {"secret-token-123"};
    options_.max_in_flight = 4;
    options_.retry = RetryPolicy(3, milliseconds(100), milliseconds(1000));
    options_.max_retry_time = seconds(60);
    vault_config_ = VaultConfig{"NAME", "vault_name", "name", "", "", "", "", "", ""};
  }
  ~RunVerifyTest() override { std::remove(list_path_.c_str()); }

  // Stores rows [0, count) in the fake vault.
  void StoreAll(int count) {
    for (const auto& [value, token] : NumberedRows(count))
      vault_.Store(value, token);
  }

  VaultVerifyResult Verify(int rows, FakeTransport::Handler handler = {}) {
    if (!handler) {
      handler = [this](const HttpRequest& request, const std::string& body) {
        return FakeAnswer{vault_.Handle(request, body)};
      };
    }
    FakeTransport transport(&clock_, handler);
    VectorSource source(NumberedRows(rows));
    MismatchList list;
    EXPECT_TRUE(list.Create(list_path_).ok());
    VaultVerifyResult result =
        VerifyVault(transport, clock_, options_, vault_config_, &source, 0, &list, interrupted_);
    EXPECT_TRUE(list.Close().ok());
    sent_ = transport.sent();
    in_flight_peak_ = transport.in_flight_peak();
    return result;
  }

  // The list file's (token, reason) pairs.
  std::set<std::pair<std::string, std::string>> Listed() const {
    std::set<std::pair<std::string, std::string>> listed;
    std::ifstream in(list_path_);
    simdjson::dom::parser parser;
    for (std::string line; std::getline(in, line);) {
      simdjson::dom::element entry = parser.parse(line);
      listed.emplace(std::string(entry["token"].get_string().value()),
                     std::string(entry["reason"].get_string().value()));
    }
    return listed;
  }

  FakeClock clock_;
  FakeVault vault_;
  VerifyOptions options_;
  VaultConfig vault_config_;
  std::atomic<bool> interrupted_{false};
  std::string list_path_;
  size_t sent_ = 0;
  size_t in_flight_peak_ = 0;
};

TEST_F(RunVerifyTest, AVaultHoldingEveryPairMatchesEveryRecord) {
  StoreAll(1000);
  const VaultVerifyResult result = Verify(1000);
  EXPECT_TRUE(result.status.ok()) << result.status.message();
  EXPECT_EQ(result.counts.checked, 1000u);
  EXPECT_EQ(result.counts.matching, 1000u);
  EXPECT_EQ(result.counts.mismatched(), 0u);
  EXPECT_EQ(result.requests, 40u);  // 25 tokens per request
  EXPECT_EQ(result.errors, 0u);
  EXPECT_EQ(sent_, 40u);
  EXPECT_LE(in_flight_peak_, 4u);
  EXPECT_GE(in_flight_peak_, 2u);
  EXPECT_EQ(result.eligible, 1000u);
  EXPECT_TRUE(Listed().empty());
}

TEST_F(RunVerifyTest, ListsMissingAndDifferentRecords) {
  StoreAll(100);
  // t7 is gone; t8 now stands for another value.
  FakeVault changed;
  for (const auto& [value, token] : NumberedRows(100)) {
    if (token == "t7") continue;
    changed.Store(token == "t8" ? "someone else" : value, token);
  }
  vault_ = changed;
  const VaultVerifyResult result = Verify(100);
  EXPECT_TRUE(result.status.ok()) << result.status.message();
  EXPECT_EQ(result.counts.checked, 100u);
  EXPECT_EQ(result.counts.matching, 98u);
  EXPECT_EQ(result.counts.missing, 1u);
  EXPECT_EQ(result.counts.different, 1u);
  EXPECT_EQ(Listed(), (std::set<std::pair<std::string, std::string>>{{"t7", "missing"},
                                                                     {"t8", "different"}}));
}

TEST_F(RunVerifyTest, ASampleChecksExactlyNRecords) {
  StoreAll(2000);
  options_.sample = 60;
  const VaultVerifyResult result = Verify(2000);
  EXPECT_TRUE(result.status.ok());
  EXPECT_EQ(result.counts.checked, 60u);
  EXPECT_EQ(result.counts.matching, 60u);
  EXPECT_EQ(result.requests, 3u);
  EXPECT_EQ(result.eligible, 2000u);
}

TEST_F(RunVerifyTest, ThrottlingWaitsForRetryAfterAndCostsNoAttempt) {
  StoreAll(100);
  options_.max_in_flight = 1;  // one request at a time: the waits show in the send times
  int calls = 0;
  std::vector<Clock::TimePoint> sent_at;
  const VaultVerifyResult result =
      Verify(100, [&](const HttpRequest& request, const std::string& body) {
        sent_at.push_back(clock_.Now());
        // Five 429s in a row (more than max_attempts), then the vault answers.
        if (++calls <= 5) {
          HttpResponse throttled = Answer(429, R"({"error":{"message":"Too many requests"}})");
          throttled.retry_after = seconds(2);
          return FakeAnswer{throttled};
        }
        return FakeAnswer{vault_.Handle(request, body)};
      });
  EXPECT_TRUE(result.status.ok()) << result.status.message();
  EXPECT_EQ(result.counts.matching, 100u);
  EXPECT_EQ(result.errors, 5u);
  ASSERT_EQ(sent_at.size(), 9u);  // 5 throttled, then 4 lookups of 25
  for (size_t i = 0; i < 5; ++i)
    EXPECT_GE(sent_at[i + 1] - sent_at[i], seconds(2)) << "after 429 number " << i + 1;
}

TEST_F(RunVerifyTest, ServerErrorsUseUpAttemptsThenTheVaultCannotBeRead) {
  StoreAll(50);
  const VaultVerifyResult result = Verify(50, [](const HttpRequest&, const std::string&) {
    return FakeAnswer{Answer(500, R"({"error":{"message":"Internal error"}})")};
  });
  EXPECT_EQ(result.status.code(), StatusCode::kUnavailable);
  EXPECT_NE(result.status.message().find("after 3 attempts"), std::string::npos)
      << result.status.message();
  EXPECT_NE(result.status.message().find("-max-attempts"), std::string::npos);
  EXPECT_EQ(result.counts.checked, 0u);
}

TEST_F(RunVerifyTest, TransientFailuresAreRetried) {
  StoreAll(50);
  int calls = 0;
  const VaultVerifyResult result =
      Verify(50, [&](const HttpRequest& request, const std::string& body) {
        if (++calls % 2 == 1) return FakeAnswer{Answer(502, "bad gateway")};
        return FakeAnswer{vault_.Handle(request, body)};
      });
  EXPECT_TRUE(result.status.ok()) << result.status.message();
  EXPECT_EQ(result.counts.matching, 50u);
  EXPECT_GT(result.errors, 0u);
}

TEST_F(RunVerifyTest, RejectedCredentialsStopWithoutShowingTheToken) {
  StoreAll(50);
  const VaultVerifyResult result = Verify(50, [](const HttpRequest&, const std::string&) {
    return FakeAnswer{
        Answer(401, R"({"error":{"message":"Bearer secret-token-123 is not valid"}})")};
  });
  EXPECT_EQ(result.status.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(result.status.message().find("secret-token-123"), std::string::npos)
      << result.status.message();
  EXPECT_LE(sent_, 4u);  // the window in flight at most, nothing after
}

TEST_F(RunVerifyTest, AnUnknownVaultIsNotFound) {
  const VaultVerifyResult result = Verify(10, [](const HttpRequest&, const std::string&) {
    return FakeAnswer{Answer(404, R"({"error":{"message":"Vault ID is invalid"}})")};
  });
  EXPECT_EQ(result.status.code(), StatusCode::kNotFound);
  EXPECT_NE(result.status.message().find("vault NAME answered 404"), std::string::npos);
}

TEST_F(RunVerifyTest, AnAnswerForAnotherNumberOfTokensStopsWithoutQuotingIt) {
  const VaultVerifyResult result = Verify(10, [](const HttpRequest&, const std::string&) {
    return FakeAnswer{Answer(200, R"({"records":[{"token":"t0","value":"private value"}]})")};
  });
  EXPECT_EQ(result.status.code(), StatusCode::kParseError);
  EXPECT_EQ(result.status.message().find("private value"), std::string::npos)
      << result.status.message();
}

TEST_F(RunVerifyTest, AnInterruptionSendsNothingNew) {
  StoreAll(1000);
  interrupted_ = true;
  const VaultVerifyResult result = Verify(1000);
  EXPECT_EQ(result.status.code(), StatusCode::kCancelled);
  EXPECT_EQ(sent_, 0u);
}

}  // namespace
}  // namespace skyflow
