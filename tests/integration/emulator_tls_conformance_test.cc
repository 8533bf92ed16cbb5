// The emulator's own TLS (--tls-cert/--tls-key): what curl sees (TLS 1.2+,
// ALPN http/1.1, a certificate checked against a throwaway CA), what the
// loader does with -ca-file (loads exactly) and with the wrong CA (stops at
// once with a TLS error), and how the emulator refuses unusable files.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "harness/emulator_process.h"
#include "harness/expected_pairs.h"
#include "harness/subprocess.h"
#include "harness/system_tools.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {
namespace {

using std::chrono::seconds;

constexpr char kToken[] = "tls-conformance-token-5e1b";
constexpr char kInsertBody[] =
    R"({"records":[{"fields":{"ssn":"123-45-6789"},"tokens":{"ssn":"tok-1"}}],)"
    R"("byot":"ENABLE","tokenization":true})";

struct CurlResult {
  int exit_code = -1;
  std::string written;  // -w output: "<http_version> <status>"
  std::string err;
};

CurlResult Curl(const std::string& dir, std::vector<std::string> args) {
  const std::string curl = FindProgram("curl");
  if (curl.empty()) {
    ADD_FAILURE() << "curl is not installed";
    return {};
  }
  args.insert(args.begin(), {"-sS", "--max-time", "20", "-o", dir + "/curl-body.txt", "-w",
                             "%{http_version} %{http_code}"});
  const ProcessResult result = RunProcess(curl, args, dir, seconds(30));
  return {result.exit_code, result.out, result.err};
}

std::vector<std::string> InsertArgs(const std::string& url) {
  return {"-X",
          "POST",
          "-H",
          std::string("Authorization: Bearer ") + kToken,
          "-H",
          "Content-Type: application/json",
          "--data-binary",
          kInsertBody,
          url + "/v1/vaults/vault_tls/ssn"};
}

std::string LoaderConfig(const std::string& url, const std::string& data_dir) {
  return R"({"skyflow":{"vault_url":")" + url +
         R"(","vaults":[{"name":"SSN","id":"vault_ssn","column":"ssn"},)"
         R"({"name":"NAME","id":"vault_name","column":"name"}]},)"
         R"("csv":{"data_directory":")" +
         data_dir + R"("},"performance":{"batch_size":100,"max_concurrency":8,"max_records":0}})";
}

class EmulatorTlsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(pki_.ok); }

  std::vector<std::string> TlsFlags() const {
    return {"--tls-cert", pki_.server_cert, "--tls-key", pki_.server_key};
  }

  void StartEmulator() {
    emulator_ = std::make_unique<EmulatorProcess>(dir_.path(), kToken, TlsFlags());
    ASSERT_TRUE(emulator_->ready());
    emulator_->UseTls(pki_.ca_cert);
  }

  ProcessResult Loader(std::vector<std::string> args) {
    args.insert(args.begin(), {"-config", dir_.File("config.json")});
    return RunProcess(SKYFLOW_LOADER_PATH, args, dir_.path(), seconds(120),
                      {{"SKYFLOW_BEARER_TOKEN", kToken}});
  }

  void WriteConfigAndGenerate(int records) {
    WriteFile(dir_.File("config.json"), LoaderConfig(emulator_->url(), dir_.File("data")));
    const ProcessResult generated =
        RunProcess(SKYFLOW_LOADER_PATH,
                   {"-config", dir_.File("config.json"), "-generate", std::to_string(records)},
                   dir_.path(), seconds(60));
    ASSERT_EQ(generated.exit_code, 0) << generated.err;
  }

  TempDir dir_;
  TestPki pki_ = MakeTestPki(dir_.path());
  std::unique_ptr<EmulatorProcess> emulator_;
};

TEST_F(EmulatorTlsTest, CurlInsertsOverTlsWithHttp11AndTheTestCa) {
  StartEmulator();
  const std::string url = emulator_->url();
  ASSERT_EQ(url.rfind("https://", 0), 0u);

  CurlResult insert = Curl(dir_.path(), [&] {
    auto args = InsertArgs(url);
    args.insert(args.begin(), {"--cacert", pki_.ca_cert});
    return args;
  }());
  ASSERT_EQ(insert.exit_code, 0) << insert.err;
  EXPECT_EQ(insert.written, "1.1 200");
  EXPECT_NE(ReadFile(dir_.File("curl-body.txt")).find(R"("tokens":{"ssn":"tok-1"})"),
            std::string::npos);

  // Offered h2 and http/1.1 by ALPN, the emulator picks http/1.1; TLS 1.2
  // is accepted, 1.1 is not.
  CurlResult h2_offered =
      Curl(dir_.path(), {"--cacert", pki_.ca_cert, "--http2", url + "/emulator/v1/stats"});
  EXPECT_EQ(h2_offered.written, "1.1 200") << h2_offered.err;
  CurlResult tls12 = Curl(dir_.path(), {"--cacert", pki_.ca_cert, "--tlsv1.2", "--tls-max", "1.2",
                                        url + "/emulator/v1/stats"});
  EXPECT_EQ(tls12.written, "1.1 200") << tls12.err;
  CurlResult tls11 = Curl(dir_.path(), {"--cacert", pki_.ca_cert, "--tlsv1.1", "--tls-max", "1.1",
                                        url + "/emulator/v1/stats"});
  EXPECT_EQ(tls11.exit_code, 35) << "TLS 1.1 must be refused: " << tls11.err;

  // Without the test CA the certificate is not trusted (curl: 60).
  CurlResult untrusted = Curl(dir_.path(), {url + "/emulator/v1/stats"});
  EXPECT_EQ(untrusted.exit_code, 60) << untrusted.err;

  // Plain HTTP to the HTTPS port is told so, in plain HTTP.
  CurlResult plain =
      Curl(dir_.path(), {"http://127.0.0.1:" + std::to_string(emulator_->port()) + "/"});
  EXPECT_EQ(plain.written, "1.1 400") << plain.err;
  EXPECT_NE(ReadFile(dir_.File("curl-body.txt")).find("This port speaks HTTPS"), std::string::npos);

  const auto stats = emulator_->Stats();
  ASSERT_EQ(stats.count("vault_tls/ssn"), 1u);
  EXPECT_EQ(stats.at("vault_tls/ssn").records, 1u);
}

TEST_F(EmulatorTlsTest, AnnouncesHttps) {
  std::vector<std::string> args{"--listen", "127.0.0.1:0", "--threads", "1"};
  for (const std::string& flag : TlsFlags())
    args.push_back(flag);
  Subprocess emulator(SKYFLOW_EMULATOR_PATH, args, dir_.path());
  std::string err;
  for (int attempt = 0; attempt < 500; ++attempt) {
    err = emulator.StderrSoFar();
    if (err.find("listening on") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_NE(err.find("skyflow-vault-emulator listening on https://127.0.0.1:"), std::string::npos)
      << err;
}

TEST_F(EmulatorTlsTest, LoaderLoadsExactlyOverHttpsWithCaFile) {
  StartEmulator();
  WriteConfigAndGenerate(1500);
  const ProcessResult result = Loader({"-ca-file", pki_.ca_cert});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto stats = emulator_->Stats();
  for (const auto& [name, id, column] :
       {std::tuple{"SSN", "vault_ssn", "ssn"}, std::tuple{"NAME", "vault_name", "name"}}) {
    const ExpectedPairs expected = ExpectedPairsFromCsv(dir_.File("data"), name, column);
    ASSERT_EQ(expected.records, 1500u);
    const std::string table = std::string(id) + "/" + column;
    ASSERT_EQ(stats.count(table), 1u) << table;
    EXPECT_EQ(stats.at(table).records, expected.records) << table;
    EXPECT_EQ(stats.at(table).digest, expected.digest) << table;
  }
}

TEST_F(EmulatorTlsTest, LoaderWithTheWrongCaStopsWithATlsError) {
  StartEmulator();
  WriteConfigAndGenerate(3000);
  const TestPki other = MakeTestPki(dir_.path(), "other");
  ASSERT_TRUE(other.ok);
  const auto start = std::chrono::steady_clock::now();
  const ProcessResult result = Loader({"-ca-file", other.ca_cert});
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(30));
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("TLS certificate is not trusted"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("-ca-file"), std::string::npos) << result.err;
  for (const auto& [table, stats] : emulator_->Stats())
    EXPECT_EQ(stats.records, 0u) << table;

  const ProcessResult missing = Loader({"-ca-file", dir_.File("no-such-ca.pem")});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_NE(missing.err.find("no-such-ca.pem: cannot read"), std::string::npos) << missing.err;
}

TEST_F(EmulatorTlsTest, UnusableCertificateOrKeyIsAClearError) {
  const TestPki other = MakeTestPki(dir_.path(), "other");
  ASSERT_TRUE(other.ok);
  WriteFile(dir_.File("not-pem.txt"), "not a certificate\n");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--tls-cert", dir_.File("missing.pem"), "--tls-key", pki_.server_key}, "cannot read"},
      {{"--tls-cert", pki_.server_cert, "--tls-key", dir_.File("missing.key")}, "cannot read"},
      {{"--tls-cert", dir_.File("not-pem.txt"), "--tls-key", pki_.server_key},
       "not a PEM certificate"},
      {{"--tls-cert", pki_.server_cert, "--tls-key", dir_.File("not-pem.txt")},
       "not an unencrypted PEM private key"},
      {{"--tls-cert", pki_.server_cert, "--tls-key", other.server_key}, "does not belong"},
      {{"--tls-cert", pki_.server_cert}, "needs --tls-key"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args{"--listen", "127.0.0.1:0"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const ProcessResult result = RunProcess(SKYFLOW_EMULATOR_PATH, args, dir_.path(), seconds(10));
    EXPECT_EQ(result.exit_code, 2) << c.message << ": " << result.err;
    EXPECT_NE(result.err.find(c.message), std::string::npos) << result.err;
  }
}

}  // namespace
}  // namespace skyflow::testing
