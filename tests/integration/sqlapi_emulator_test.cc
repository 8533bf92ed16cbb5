// The SQL API emulator against a real PostgreSQL, driven with the curl
// command-line tool: what the Snowflake source's tests will rely on.
// Expected values come from the test data's definition (SQL below) and from
// the openssl tool (the key fingerprint), never from the emulator's code.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "harness/curl_cli.h"
#include "harness/postgres_server.h"
#include "harness/sqlapi_emulator_process.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"
#include "util/json_writer.h"
#include "util/jwt.h"
#include "util/rsa_key.h"

namespace skyflow::testing {
namespace {

constexpr const char* kDatabase = "d01_skyflow_poc";
constexpr const char* kPat = "pat-secret-for-tests";
constexpr int kRows = 2500;
// 2000-01-01 is day 10957 after 1970-01-01 (30 years, 7 of them leap).
constexpr int64_t kDay2000 = 10957;

// n: 1..2500; label with a quote and a backslash; note NULL every 10th
// row; born a DATE (jsonv2: days since the epoch); ok a BOOLEAN.
constexpr const char* kSetupSql = R"(
CREATE SCHEMA skyflow_poc;
CREATE TABLE skyflow_poc.items (n integer, label text, note text, born date, ok boolean);
INSERT INTO skyflow_poc.items
  SELECT i, 'it"em\' || i, CASE WHEN i % 10 = 0 THEN NULL ELSE 'n' || i END,
         DATE '2000-01-01' + i, i % 2 = 0
  FROM generate_series(1, 2500) AS i;
CREATE TABLE skyflow_poc.log (v integer);
)";

struct Answer {
  long status = 0;
  int curl_exit = 0;
  std::string body;
  std::string headers;
  std::string Header(const std::string& name) const {
    CurlExchange exchange;
    exchange.headers = headers;
    return exchange.Header(name);
  }
};

class SqlApiEmulatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = PostgresServer::Start(&server_error_);
    if (server_ == nullptr) return;
    server_->CreateDatabase(kDatabase);
    server_->Psql(kDatabase, kSetupSql);
  }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override { ASSERT_NE(server_, nullptr) << server_error_; }

  std::unique_ptr<SqlApiEmulatorProcess> StartEmulator(std::vector<std::string> args = {}) {
    args.insert(args.begin(), {"--pg-dsn", server_->Dsn(kDatabase), "--pat", kPat});
    return std::make_unique<SqlApiEmulatorProcess>(dir_.path(), args);
  }

  // One exchange; `token_type` adds X-Snowflake-Authorization-Token-Type.
  Answer Call(const SqlApiEmulatorProcess& emulator, const std::string& method,
              const std::string& target, const std::string& body = "",
              const std::string& token = kPat, const std::string& token_type = "",
              std::vector<std::string> extra = {}) {
    CurlRequest request;
    request.method = method;
    request.url = emulator.url() + target;
    request.body = body;
    request.bearer_token = token;
    if (!token_type.empty()) {
      extra.insert(extra.end(),
                   {"--header", "X-Snowflake-Authorization-Token-Type: " + token_type});
    }
    request.extra = std::move(extra);
    const CurlExchange exchange = RunCurl(request, dir_.path());
    return Answer{exchange.status, exchange.exit_code, exchange.body, exchange.headers};
  }

  static std::string StatementBody(const std::string& sql) {
    std::string body;
    JsonWriter json(&body);
    json.BeginObject()
        .Field("statement", sql)
        .Field("timeout", 60)
        .Field("database", "D01_SKYFLOW_POC")
        .Field("schema", "SKYFLOW_POC")
        .EndObject();
    return body;
  }

  Answer Submit(const SqlApiEmulatorProcess& emulator, const std::string& sql, bool async,
                const std::string& request_id = "") {
    std::string target = std::string("/api/v2/statements?async=") + (async ? "true" : "false");
    if (!request_id.empty()) target += "&requestId=" + request_id;
    return Call(emulator, "POST", target, StatementBody(sql));
  }

  // Polls until the answer is not 202 (at most 100 times, 100 ms apart).
  Answer PollUntilDone(const SqlApiEmulatorProcess& emulator, const std::string& handle) {
    Answer answer;
    for (int attempt = 0; attempt < 100; ++attempt) {
      answer = Call(emulator, "GET", "/api/v2/statements/" + handle);
      if (answer.status != 202) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return answer;
  }

  static std::string Field(const std::string& json, const char* key) {
    simdjson::dom::parser parser;
    std::string_view value;
    if (parser.parse(json)[key].get_string().get(value)) return "<no " + std::string(key) + ">";
    return std::string(value);
  }

  static std::unique_ptr<PostgresServer> server_;
  static std::string server_error_;
  TempDir dir_;
};

std::unique_ptr<PostgresServer> SqlApiEmulatorTest::server_;
std::string SqlApiEmulatorTest::server_error_;

TEST_F(SqlApiEmulatorTest, AcceptsAConfiguredPatAndRefusesOthers) {
  const auto emulator = StartEmulator();
  ASSERT_TRUE(emulator->ready());
  const std::string body = StatementBody("SELECT 1 AS one, NULL::text AS nothing");

  Answer answer =
      Call(*emulator, "POST", "/api/v2/statements", body, kPat, "PROGRAMMATIC_ACCESS_TOKEN");
  ASSERT_EQ(answer.status, 200) << answer.body;
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(answer.body);
  EXPECT_EQ(std::string_view(root["code"]), "090001");
  EXPECT_EQ(simdjson::minify(root["data"]), R"([["1",null]])");
  EXPECT_EQ(std::string_view(root["resultSetMetaData"]["format"]), "jsonv2");
  EXPECT_EQ(std::string_view(root["resultSetMetaData"]["rowType"].at(0)["name"]), "ONE");
  EXPECT_EQ(std::string_view(root["resultSetMetaData"]["rowType"].at(0)["type"]), "fixed");
  EXPECT_EQ(std::string_view(root["resultSetMetaData"]["rowType"].at(1)["name"]), "NOTHING");

  // Without the type header, a configured PAT is still recognised.
  EXPECT_EQ(Call(*emulator, "POST", "/api/v2/statements", body).status, 200);

  answer = Call(*emulator, "POST", "/api/v2/statements", body, "not-the-pat",
                "PROGRAMMATIC_ACCESS_TOKEN");
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(Field(answer.body, "code"), "390144");
  EXPECT_EQ(answer.body.find("not-the-pat"), std::string::npos) << "a token was echoed";

  answer = Call(*emulator, "POST", "/api/v2/statements", body, "");
  EXPECT_EQ(answer.status, 401) << answer.body;
  EXPECT_EQ(emulator->StatsCounter("unauthorized"), 2U);
}

// base64(SHA-256(DER SubjectPublicKeyInfo)), computed the way Snowflake's
// documentation says to, with the openssl tool.
std::string OpensslFingerprint(const std::string& public_pem_file, const std::string& dir) {
  const ProcessResult result = RunProcess(
      "/bin/sh",
      {"-c", "openssl pkey -pubin -in '" + public_pem_file +
                 "' -outform DER | openssl dgst -sha256 -binary | openssl enc -base64 -A"},
      dir, std::chrono::seconds(10));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return "SHA256:" + result.out;
}

std::string Claims(const std::string& iss, const std::string& sub, int64_t iat, int64_t exp) {
  std::string json;
  JsonWriter writer(&json);
  writer.BeginObject()
      .Field("iss", iss)
      .Field("sub", sub)
      .Field("iat", iat)
      .Field("exp", exp)
      .EndObject();
  return json;
}

TEST_F(SqlApiEmulatorTest, VerifiesKeyPairJwtsAsSnowflakeDoes) {
  Result<RsaPrivateKey> key = RsaPrivateKey::Generate(2048);
  Result<RsaPrivateKey> stranger = RsaPrivateKey::Generate(2048);
  ASSERT_TRUE(key.ok() && stranger.ok());
  const std::string public_file = dir_.File("rsa_key.pub");
  WriteFile(public_file, *RsaPublicKey::FromPrivateKey(*key)->ToPem());
  const std::string fingerprint = OpensslFingerprint(public_file, dir_.path());
  const auto emulator = StartEmulator(
      {"--account", "myorg-myaccount", "--user", "loader", "--public-key-file", public_file});
  ASSERT_TRUE(emulator->ready());

  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const std::string subject = "MYORG-MYACCOUNT.LOADER";
  const std::string body = StatementBody("SELECT 'ok' AS answer");
  const auto call = [&](const std::string& claims, const RsaPrivateKey& signer,
                        const std::string& type) {
    Result<std::string> token = SignJwtRs256(claims, signer);
    EXPECT_TRUE(token.ok());
    return Call(*emulator, "POST", "/api/v2/statements", body, *token, type);
  };
  const std::string good = Claims(subject + "." + fingerprint, subject, now, now + 3540);

  Answer answer = call(good, *key, "KEYPAIR_JWT");
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(call(good, *key, "").status, 200) << "the token type is inferred when absent";
  EXPECT_EQ(
      call(Claims("myorg-myaccount.loader." + fingerprint, "myorg-myaccount.loader", now, now + 60),
           *key, "KEYPAIR_JWT")
          .status,
      200)
      << "account and user compare case-insensitively";

  answer = call(good, *stranger, "KEYPAIR_JWT");
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(Field(answer.body, "code"), "390144") << answer.body;

  answer = call(Claims(subject + "." + fingerprint, subject, now - 7200, now - 3660), *key,
                "KEYPAIR_JWT");
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(Field(answer.body, "code"), "390198") << answer.body;

  answer =
      call(Claims("OTHER-ACCOUNT.LOADER." + fingerprint, "OTHER-ACCOUNT.LOADER", now, now + 600),
           *key, "KEYPAIR_JWT");
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(Field(answer.body, "code"), "390144");
  EXPECT_NE(Field(answer.body, "message").find("sub"), std::string::npos) << answer.body;

  answer = call(Claims(subject + ".SHA256:AAAA", subject, now, now + 600), *key, "KEYPAIR_JWT");
  EXPECT_EQ(answer.status, 401) << "a fingerprint that is not the registered key's";

  answer = call(Claims(subject + "." + fingerprint, subject, now, now + 7200), *key, "KEYPAIR_JWT");
  EXPECT_EQ(answer.status, 401) << "a lifetime over one hour";
  EXPECT_EQ(emulator->StatsCounter("unauthorized"), 5U);
}

TEST_F(SqlApiEmulatorTest, ALargeResultComesBackInGrowingPartitionsInOrder) {
  const auto emulator = StartEmulator({"--partition-rows", "500", "--max-partition-rows", "1000"});
  ASSERT_TRUE(emulator->ready());
  const Answer first = Submit(*emulator,
                              "SELECT n, label, note, born, ok FROM "
                              "D01_SKYFLOW_POC.SKYFLOW_POC.ITEMS ORDER BY n",
                              false);
  ASSERT_EQ(first.status, 200) << first.body;
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(first.body);
  simdjson::dom::element metadata = root["resultSetMetaData"];
  EXPECT_EQ(uint64_t(metadata["numRows"]), static_cast<uint64_t>(kRows));
  const std::vector<std::pair<std::string, std::string>> expected_types{
      {"N", "fixed"}, {"LABEL", "text"}, {"NOTE", "text"}, {"BORN", "date"}, {"OK", "boolean"}};
  simdjson::dom::array row_type = metadata["rowType"];
  ASSERT_EQ(row_type.size(), expected_types.size());
  for (size_t i = 0; i < expected_types.size(); ++i) {
    EXPECT_EQ(std::string_view(row_type.at(i)["name"]), expected_types[i].first);
    EXPECT_EQ(std::string_view(row_type.at(i)["type"]), expected_types[i].second);
  }
  simdjson::dom::array partition_info = metadata["partitionInfo"];
  const std::vector<uint64_t> expected_counts{500, 1000, 1000};
  ASSERT_EQ(partition_info.size(), expected_counts.size());
  const std::string handle = Field(first.body, "statementHandle");

  int64_t next_n = 1;
  for (size_t partition = 0; partition < expected_counts.size(); ++partition) {
    EXPECT_EQ(uint64_t(partition_info.at(partition)["rowCount"]), expected_counts[partition]);
    std::string body = first.body;
    if (partition > 0) {
      const Answer answer =
          Call(*emulator, "GET",
               "/api/v2/statements/" + handle + "?partition=" + std::to_string(partition));
      ASSERT_EQ(answer.status, 200) << answer.body;
      EXPECT_EQ(answer.Header("Content-Encoding"), "") << "gzip only when asked";
      body = answer.body;
      // {"data":<partition>}: the partition's text is its uncompressedSize.
      EXPECT_EQ(body.size() - std::string(R"({"data":})").size(),
                uint64_t(partition_info.at(partition)["uncompressedSize"]));
    }
    simdjson::dom::parser partition_parser;
    simdjson::dom::array rows = partition_parser.parse(body)["data"];
    ASSERT_EQ(rows.size(), expected_counts[partition]);
    for (simdjson::dom::element row : rows) {
      const int64_t n = next_n++;
      ASSERT_EQ(std::string_view(row.at(0)), std::to_string(n));
      EXPECT_EQ(std::string_view(row.at(1)), "it\"em\\" + std::to_string(n));
      if (n % 10 == 0) {
        EXPECT_TRUE(row.at(2).is_null()) << "row " << n;
      } else {
        EXPECT_EQ(std::string_view(row.at(2)), "n" + std::to_string(n));
      }
      EXPECT_EQ(std::string_view(row.at(3)), std::to_string(kDay2000 + n));
      EXPECT_EQ(std::string_view(row.at(4)), n % 2 == 0 ? "true" : "false");
    }
  }
  EXPECT_EQ(next_n, kRows + 1);

  // The same partition, gzip-encoded when the client accepts it (curl
  // decodes it: the text must be the same).
  const std::string target = "/api/v2/statements/" + handle + "?partition=2";
  const Answer plain = Call(*emulator, "GET", target);
  const Answer gzipped = Call(*emulator, "GET", target, "", kPat, "", {"--compressed"});
  EXPECT_EQ(gzipped.Header("Content-Encoding"), "gzip");
  EXPECT_EQ(gzipped.body, plain.body);
  EXPECT_EQ(emulator->StatsCounter("partitions_served"), 4U);

  Answer out_of_range = Call(*emulator, "GET", "/api/v2/statements/" + handle + "?partition=3");
  EXPECT_EQ(out_of_range.status, 400);
  EXPECT_EQ(Field(out_of_range.body, "code"), "391922");
  out_of_range = Call(*emulator, "GET", "/api/v2/statements/" + handle + "?partition=x");
  EXPECT_EQ(out_of_range.status, 400);
  EXPECT_EQ(Call(*emulator, "GET", "/api/v2/statements/no-such-handle").status, 404);
}

TEST_F(SqlApiEmulatorTest, AnAsyncStatementIsPolledUntilItsDelayHasPassed) {
  const auto emulator = StartEmulator({"--async-delay-ms", "1500"});
  ASSERT_TRUE(emulator->ready());
  const auto start = std::chrono::steady_clock::now();
  const Answer submitted = Submit(*emulator, "SELECT count(*) AS c FROM skyflow_poc.items", true);
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  EXPECT_EQ(Field(submitted.body, "code"), "333334");
  const std::string handle = Field(submitted.body, "statementHandle");
  EXPECT_EQ(Field(submitted.body, "statementStatusUrl"), "/api/v2/statements/" + handle);

  EXPECT_EQ(Call(*emulator, "GET", "/api/v2/statements/" + handle).status, 202);
  const Answer done = PollUntilDone(*emulator, handle);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1500));
  simdjson::dom::parser parser;
  EXPECT_EQ(simdjson::minify(parser.parse(done.body)["data"]), R"([["2500"]])");
}

TEST_F(SqlApiEmulatorTest, SqlErrorsAre422WithPostgresMessage) {
  const auto emulator = StartEmulator();
  ASSERT_TRUE(emulator->ready());
  Answer answer = Submit(*emulator, "SELECT * FROM skyflow_poc.nope", false);
  EXPECT_EQ(answer.status, 422);
  EXPECT_EQ(Field(answer.body, "sqlState"), "42P01");
  EXPECT_NE(Field(answer.body, "message").find("\"skyflow_poc.nope\" does not exist"),
            std::string::npos)
      << answer.body;
  const std::string handle = Field(answer.body, "statementHandle");
  EXPECT_EQ(Call(*emulator, "GET", "/api/v2/statements/" + handle).status, 422)
      << "a failed statement's status is its error";

  answer = Submit(*emulator, "SELEC 1", true);
  ASSERT_EQ(answer.status, 202);
  answer = PollUntilDone(*emulator, Field(answer.body, "statementHandle"));
  EXPECT_EQ(answer.status, 422);
  EXPECT_NE(Field(answer.body, "message").find("syntax error"), std::string::npos) << answer.body;
}

TEST_F(SqlApiEmulatorTest, ACrossDatabaseStatementIs422WithoutRunning) {
  const auto emulator = StartEmulator();
  ASSERT_TRUE(emulator->ready());
  const Answer answer = Submit(*emulator,
                               "SELECT OTHER_DB.UDFS.SKFL_SSN_DETOK(label) FROM "
                               "D01_SKYFLOW_POC.SKYFLOW_POC.ITEMS",
                               false);
  EXPECT_EQ(answer.status, 422);
  EXPECT_EQ(Field(answer.body, "message").rfind("cross-database statement: PostgreSQL cannot", 0),
            0U)
      << answer.body;
  EXPECT_EQ(emulator->StatsCounter("statements_executed"), 0U);
}

TEST_F(SqlApiEmulatorTest, ACancelStopsTheStatementOnPostgres) {
  const auto emulator = StartEmulator();
  ASSERT_TRUE(emulator->ready());
  const Answer submitted = Submit(*emulator, "SELECT pg_sleep(30) AS slept", true);
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  const std::string handle = Field(submitted.body, "statementHandle");
  // Running on PostgreSQL before it is canceled (bounded wait).
  const std::string running_sql =
      "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE "
      "'SELECT pg_sleep(30)%';";
  for (int attempt = 0; attempt < 100 && server_->Psql(kDatabase, running_sql) != "1\n";
       ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(server_->Psql(kDatabase, running_sql), "1\n");

  const auto start = std::chrono::steady_clock::now();
  const Answer canceled = Call(*emulator, "POST", "/api/v2/statements/" + handle + "/cancel");
  EXPECT_EQ(canceled.status, 200) << canceled.body;
  EXPECT_EQ(Field(canceled.body, "code"), "000604");
  EXPECT_EQ(Field(canceled.body, "message"), "SQL execution canceled");
  const Answer status = PollUntilDone(*emulator, handle);
  EXPECT_EQ(status.status, 422) << status.body;
  EXPECT_EQ(Field(status.body, "code"), "000604");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(server_->Psql(kDatabase, running_sql), "0\n");
  EXPECT_EQ(emulator->StatsCounter("cancels"), 1U);
}

TEST_F(SqlApiEmulatorTest, AResubmittedRequestIdRunsOnce) {
  const auto emulator = StartEmulator();
  ASSERT_TRUE(emulator->ready());
  const std::string request_id = "0b2f7c1e-5a3d-4e6f-8a9b-1c2d3e4f5a6b";
  const std::string sql = "INSERT INTO skyflow_poc.log VALUES (7)";
  const Answer first = Submit(*emulator, sql, false, request_id);
  ASSERT_EQ(first.status, 200) << first.body;
  const Answer second = Submit(*emulator, sql, false, request_id);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(Field(second.body, "statementHandle"), Field(first.body, "statementHandle"));
  simdjson::dom::parser parser;
  EXPECT_EQ(simdjson::minify(parser.parse(first.body)["data"]), R"([["1"]])");
  EXPECT_EQ(server_->Psql(kDatabase, "SELECT count(*) FROM skyflow_poc.log WHERE v = 7;"), "1\n");
  EXPECT_EQ(emulator->StatsCounter("statements_executed"), 1U);
  EXPECT_EQ(emulator->StatsCounter("duplicate_submits"), 1U);
}

TEST_F(SqlApiEmulatorTest, BindingsArePositionalTextValues) {
  const auto emulator = StartEmulator();
  ASSERT_TRUE(emulator->ready());
  const std::string body =
      R"({"statement":"SELECT ? AS a, ?::integer + 1 AS b, ? AS c","bindings":{)"
      R"("1":{"type":"TEXT","value":"x?"},"2":{"type":"FIXED","value":"2"},)"
      R"("3":{"type":"TEXT","value":null}}})";
  const Answer answer = Call(*emulator, "POST", "/api/v2/statements", body);
  ASSERT_EQ(answer.status, 200) << answer.body;
  simdjson::dom::parser parser;
  EXPECT_EQ(simdjson::minify(parser.parse(answer.body)["data"]), R"([["x?","3",null]])");
}

TEST_F(SqlApiEmulatorTest, FaultsArePlayedOnDemand) {
  {
    const auto emulator = StartEmulator({"--fault-429-submit", "1", "--seed", "7"});
    ASSERT_TRUE(emulator->ready());
    const Answer answer = Submit(*emulator, "SELECT 1", false);
    EXPECT_EQ(answer.status, 429);
    EXPECT_EQ(answer.Header("Retry-After"), "1");
    EXPECT_EQ(emulator->StatsCounter("statements_executed"), 0U);
  }
  {
    // A 503 after acceptance: the retry with the same requestId finds the
    // statement already run.
    const auto emulator = StartEmulator({"--fault-503-submit", "1"});
    ASSERT_TRUE(emulator->ready());
    EXPECT_EQ(Submit(*emulator, "SELECT 1", false, "req-503").status, 503);
    EXPECT_EQ(Submit(*emulator, "SELECT 1", false, "req-503").status, 503);
    EXPECT_EQ(emulator->StatsCounter("statements_executed"), 1U);
    EXPECT_EQ(emulator->StatsCounter("faults_injected"), 2U);
  }
  {
    const auto emulator = StartEmulator({"--fault-drop-partition", "1"});
    ASSERT_TRUE(emulator->ready());
    const Answer submitted = Submit(*emulator, "SELECT 1", false);
    ASSERT_EQ(submitted.status, 200);
    const Answer dropped =
        Call(*emulator, "GET",
             "/api/v2/statements/" + Field(submitted.body, "statementHandle") + "?partition=0");
    EXPECT_EQ(dropped.status, 0);
    EXPECT_EQ(dropped.curl_exit, 52) << "an empty reply: the connection closed unanswered";
  }
}

}  // namespace
}  // namespace skyflow::testing
