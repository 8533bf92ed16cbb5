// Conformance of the emulator's request limits, over loopback with libcurl
// (not the loader): a body over --max-body-bytes and more records than
// --max-records-per-request get 400 in the spec's error shape (section 3),
// with a message naming the limit and the flag, and nothing is stored. The
// vendor publishes neither limit nor its status, so --body-limit-status 413
// gives what a gateway in front of the vault would answer instead.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/emulator_process.h"
#include "harness/http_request.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {
namespace {

constexpr char kToken[] = "request-limits-conformance-token-7d1e";
constexpr char kInsertPath[] = "/v1/vaults/v1/ssn";

// A BYOT insert of `count` records, each value padded to `value_bytes`.
std::string InsertBody(int count, size_t value_bytes = 9) {
  std::string body = R"({"byot":"ENABLE","records":[)";
  for (int i = 0; i < count; ++i) {
    if (i > 0) body += ",";
    std::string value = std::to_string(i);
    value.insert(0, value_bytes > value.size() ? value_bytes - value.size() : 0, '0');
    body += R"({"fields":{"ssn":")" + value + R"("},"tokens":{"ssn":"tok-)" + std::to_string(i) +
            R"("}})";
  }
  return body + "]}";
}

class RequestLimitsConformanceTest : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> extra_args) {
    std::vector<std::string> args = {"--max-body-bytes", "4096", "--max-records-per-request", "3"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    emulator_ = std::make_unique<EmulatorProcess>(dir_.path(), kToken, args);
    ASSERT_TRUE(emulator_->ready());
  }

  HttpAnswer Insert(const std::string& body) {
    return HttpPost(emulator_->url() + kInsertPath, body, kToken);
  }

  uint64_t StoredRecords() {
    const auto stats = emulator_->Stats();
    const auto it = stats.find("v1/ssn");
    return it == stats.end() ? 0 : it->second.records;
  }

  static void ExpectLimitError(const HttpAnswer& answer, long status, const std::string& limit,
                               const std::string& flag) {
    EXPECT_EQ(answer.status, status) << answer.body;
    EXPECT_NE(answer.body.find("\"http_code\":" + std::to_string(status)), std::string::npos)
        << answer.body;
    EXPECT_NE(answer.body.find(limit), std::string::npos) << answer.body;
    EXPECT_NE(answer.body.find(flag), std::string::npos) << answer.body;
  }

  TempDir dir_;
  std::unique_ptr<EmulatorProcess> emulator_;
};

TEST_F(RequestLimitsConformanceTest, AtTheLimitsTheInsertIsStored) {
  Start({});
  const std::string body = InsertBody(3);
  ASSERT_LE(body.size(), 4096u);
  EXPECT_EQ(Insert(body).status, 200);
  EXPECT_EQ(StoredRecords(), 3u);
}

TEST_F(RequestLimitsConformanceTest, MoreRecordsThanTheMaximumGet400NamingIt) {
  Start({});
  ExpectLimitError(Insert(InsertBody(4)), 400, "limit is 3", "--max-records-per-request");
  EXPECT_EQ(StoredRecords(), 0u);
}

TEST_F(RequestLimitsConformanceTest, ABodyOverTheLimitGets400NamingIt) {
  Start({});
  const std::string body = InsertBody(2, 3000);
  ASSERT_GT(body.size(), 4096u);
  ExpectLimitError(Insert(body), 400, "limit of 4096 bytes", "--max-body-bytes");
  EXPECT_EQ(StoredRecords(), 0u);
  // The emulator closed that connection but goes on serving.
  EXPECT_EQ(Insert(InsertBody(1)).status, 200);
}

TEST_F(RequestLimitsConformanceTest, BodyLimitStatus413IsWhatAGatewayWouldAnswer) {
  Start({"--body-limit-status", "413"});
  ExpectLimitError(Insert(InsertBody(2, 3000)), 413, "limit of 4096 bytes", "--max-body-bytes");
  // The record limit is the vault's own and stays a 400.
  ExpectLimitError(Insert(InsertBody(4)), 400, "limit is 3", "--max-records-per-request");
  EXPECT_EQ(StoredRecords(), 0u);
}

}  // namespace
}  // namespace skyflow::testing
