// HTTP/2 in front of the emulator: nghttpx takes h2c (prior knowledge) and
// h2 over TLS (ALPN) and speaks HTTP/1.1 to the emulator. curl must see
// HTTP/2 answers; the loader must load exactly through it over TLS with
// -ca-file, and nghttpx's access log must show that it used HTTP/2.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "harness/emulator_process.h"
#include "harness/expected_pairs.h"
#include "harness/nghttpx_process.h"
#include "harness/subprocess.h"
#include "harness/system_tools.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {
namespace {

using std::chrono::seconds;

constexpr char kToken[] = "http2-conformance-token-a9c4";

class Http2ProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(pki_.ok);
    emulator_ = std::make_unique<EmulatorProcess>(dir_.path(), kToken);
    ASSERT_TRUE(emulator_->ready());
    proxy_ = std::make_unique<NghttpxProcess>(dir_.path(), emulator_->port(), pki_);
    ASSERT_TRUE(proxy_->ready());
  }

  // curl's "-w" output ("<http_version> <status>") for an insert of one
  // record, or the failure.
  std::string CurlInsert(const std::vector<std::string>& protocol_args, const std::string& url,
                         const std::string& token) {
    const std::string curl = FindProgram("curl");
    if (curl.empty()) return "curl is not installed";
    std::vector<std::string> args{"-sS",
                                  "--max-time",
                                  "20",
                                  "-o",
                                  dir_.File("curl-body.txt"),
                                  "-w",
                                  "%{http_version} %{http_code}"};
    args.insert(args.end(), protocol_args.begin(), protocol_args.end());
    const std::string body = R"({"records":[{"fields":{"ssn":"1-)" + token +
                             R"("},"tokens":{"ssn":")" + token +
                             R"("}}],"byot":"ENABLE","tokenization":true})";
    args.insert(args.end(), {"-X", "POST", "-H", std::string("Authorization: Bearer ") + kToken,
                             "-H", "Content-Type: application/json", "--data-binary", body,
                             url + "/v1/vaults/vault_h2/ssn"});
    const ProcessResult result = RunProcess(curl, args, dir_.path(), seconds(30));
    if (result.exit_code != 0) return "curl failed: " + result.err;
    return result.out;
  }

  std::vector<std::string> AccessLogLines() const {
    std::vector<std::string> lines;
    std::istringstream log(ReadFile(proxy_->access_log()));
    std::string line;
    for (int guard = 0; guard < 1000000 && std::getline(log, line); ++guard)
      lines.push_back(line);
    return lines;
  }

  TempDir dir_;
  TestPki pki_ = MakeTestPki(dir_.path());
  std::unique_ptr<EmulatorProcess> emulator_;
  std::unique_ptr<NghttpxProcess> proxy_;
};

TEST_F(Http2ProxyTest, CurlInsertsOverH2cAndOverH2WithTls) {
  EXPECT_EQ(CurlInsert({"--http2-prior-knowledge"}, proxy_->h2c_url(), "tok-h2c"), "2 200");
  EXPECT_NE(ReadFile(dir_.File("curl-body.txt")).find(R"("tokens":{"ssn":"tok-h2c"})"),
            std::string::npos);
  EXPECT_EQ(CurlInsert({"--http2", "--cacert", pki_.ca_cert}, proxy_->tls_url(), "tok-h2"),
            "2 200");
  // The same TLS frontend still serves HTTP/1.1 clients.
  EXPECT_EQ(CurlInsert({"--http1.1", "--cacert", pki_.ca_cert}, proxy_->tls_url(), "tok-h1"),
            "1.1 200");

  const auto stats = emulator_->Stats();
  ASSERT_EQ(stats.count("vault_h2/ssn"), 1u);
  EXPECT_EQ(stats.at("vault_h2/ssn").records, 3u);
  const std::vector<std::string> lines = AccessLogLines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], R"(h2c 200 "POST /v1/vaults/vault_h2/ssn HTTP/2")");
  EXPECT_EQ(lines[1], R"(h2 200 "POST /v1/vaults/vault_h2/ssn HTTP/2")");
  EXPECT_EQ(lines[2], R"(http/1.1 200 "POST /v1/vaults/vault_h2/ssn HTTP/1.1")");
}

TEST_F(Http2ProxyTest, LoaderLoadsExactlyOverHttp2WithTls) {
  const std::string config = dir_.File("config.json");
  WriteFile(config, R"({"skyflow":{"vault_url":")" + proxy_->tls_url() +
                        R"(","vaults":[{"name":"SSN","id":"vault_ssn","column":"ssn"},)"
                        R"({"name":"DOB","id":"vault_dob","column":"dob"}]},)"
                        R"("csv":{"data_directory":")" +
                        dir_.File("data") +
                        R"("},"performance":{"batch_size":100,"max_concurrency":8,)"
                        R"("max_records":0}})");
  const ProcessResult generated = RunProcess(
      SKYFLOW_LOADER_PATH, {"-config", config, "-generate", "2000"}, dir_.path(), seconds(60));
  ASSERT_EQ(generated.exit_code, 0) << generated.err;

  const ProcessResult result =
      RunProcess(SKYFLOW_LOADER_PATH, {"-config", config, "-ca-file", pki_.ca_cert}, dir_.path(),
                 seconds(120), {{"SKYFLOW_BEARER_TOKEN", kToken}});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;

  const auto stats = emulator_->Stats();
  for (const auto& [name, id, column] :
       {std::tuple{"SSN", "vault_ssn", "ssn"}, std::tuple{"DOB", "vault_dob", "dob"}}) {
    const ExpectedPairs expected = ExpectedPairsFromCsv(dir_.File("data"), name, column);
    ASSERT_EQ(expected.records, 2000u);
    const std::string table = std::string(id) + "/" + column;
    ASSERT_EQ(stats.count(table), 1u) << table;
    EXPECT_EQ(stats.at(table).records, expected.records) << table;
    EXPECT_EQ(stats.at(table).digest, expected.digest) << table;
  }

  // Every insert went over HTTP/2 (ALPN h2): 2 vaults x 20 batches.
  size_t inserts = 0;
  for (const std::string& line : AccessLogLines()) {
    if (line.find("POST /v1/vaults/") == std::string::npos) continue;
    ++inserts;
    EXPECT_EQ(line.rfind("h2 200 ", 0), 0u) << line;
    EXPECT_NE(line.find(" HTTP/2\""), std::string::npos) << line;
  }
  EXPECT_EQ(inserts, 40u);
}

}  // namespace
}  // namespace skyflow::testing
