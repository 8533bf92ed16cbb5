#include "snowflake/statement_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <regex>
#include <string>
#include <thread>

#include "fake_sql_api.h"

namespace skyflow::snowflake {
namespace {

using std::chrono::milliseconds;
using testing::FakeCredentials;
using testing::FakeSqlApi;
using testing::Gzip;
using testing::QueryValue;
using testing::SeenRequest;
using Clock = std::chrono::steady_clock;

constexpr char kResult[] =
    R"({"resultSetMetaData":{"numRows":3,"format":"jsonv2",)"
    R"("rowType":[{"name":"VALUE","type":"text"},{"name":"TOKEN","type":"text"}],)"
    R"("partitionInfo":[{"rowCount":2},{"rowCount":1}]},)"
    R"("data":[["alice","tok_a"],[null,"tok_b"]],"code":"090001","sqlState":"00000",)"
    R"("message":"Statement executed successfully.","statementHandle":"H-1"})";

constexpr char kAccepted[] =
    R"({"code":"333334","message":"Asynchronous execution in progress. Use provided query id )"
    R"(to perform query monitoring and management.","statementHandle":"H-1",)"
    R"("statementStatusUrl":"/api/v2/statements/H-1"})";

// Small delays, so the retry tests run in milliseconds.
StatementClientOptions FastOptions() {
  StatementClientOptions options;
  options.max_attempts = 5;
  options.retry_base_delay = milliseconds(1);
  options.retry_max_delay = milliseconds(5);
  options.request_timeout = milliseconds(5000);
  options.poll_initial_delay = milliseconds(1);
  options.poll_max_delay = milliseconds(4);
  return options;
}

Statement SelectStatement() {
  Statement statement;
  statement.text = "SELECT value, token FROM D01_SKYFLOW_POC.PUBLIC.PATIENTS";
  statement.timeout_seconds = 3600;
  statement.database = "D01_SKYFLOW_POC";
  statement.warehouse = "LOAD_WH";
  return statement;
}

void Answer(emulator::HttpResponse* response, int status, std::string body) {
  response->status = status;
  response->body = std::move(body);
}

bool IsSubmit(const SeenRequest& request) {
  return request.method == "POST" && request.path == "/api/v2/statements";
}

TEST(StatementClientTest, SubmitsWithARequestIdAndTheStatementFields) {
  FakeSqlApi api(
      [](const SeenRequest&, emulator::HttpResponse* response) { Answer(response, 200, kResult); });
  FakeCredentials credentials(/*renews=*/true);
  StatementClient client(api.url() + "/", &credentials, FastOptions());

  Result<StatementResult> result = client.Execute(SelectStatement());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->handle, "H-1");
  EXPECT_EQ(result->metadata.partition_rows, (std::vector<uint64_t>{2, 1}));
  ASSERT_EQ(result->first_partition.row_count(), 2u);
  EXPECT_EQ(result->first_partition.Cell(0, 0), std::optional<std::string_view>("alice"));
  EXPECT_EQ(result->first_partition.Cell(1, 0), std::nullopt);

  const std::vector<SeenRequest> requests = api.requests();
  ASSERT_EQ(requests.size(), 1u);
  const SeenRequest& submit = requests[0];
  EXPECT_TRUE(IsSubmit(submit)) << submit.method << " " << submit.path;
  EXPECT_TRUE(std::regex_match(
      QueryValue(submit.query, "requestId"),
      std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << submit.query;
  EXPECT_EQ(QueryValue(submit.query, "async"), "true");
  EXPECT_EQ(QueryValue(submit.query, "retry"), "");
  EXPECT_EQ(submit.authorization, "Bearer first-jwt-secret");
  EXPECT_EQ(submit.token_type, "KEYPAIR_JWT");
  EXPECT_EQ(submit.content_type, "application/json");
  EXPECT_EQ(submit.accept, "application/json");
  EXPECT_EQ(submit.accept_encoding, "gzip");
  EXPECT_EQ(submit.user_agent, "skyflow-byot-loader");
  EXPECT_EQ(submit.body,
            R"({"statement":"SELECT value, token FROM D01_SKYFLOW_POC.PUBLIC.PATIENTS",)"
            R"("timeout":3600,"database":"D01_SKYFLOW_POC","warehouse":"LOAD_WH",)"
            R"("parameters":{"query_tag":"skyflow-byot-loader"}})");
}

TEST(StatementClientTest, EachStatementGetsItsOwnRequestId) {
  FakeSqlApi api(
      [](const SeenRequest&, emulator::HttpResponse* response) { Answer(response, 200, kResult); });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  ASSERT_TRUE(client.Execute(SelectStatement()).ok());
  ASSERT_TRUE(client.Execute(SelectStatement()).ok());
  const std::vector<SeenRequest> requests = api.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_NE(QueryValue(requests[0].query, "requestId"), QueryValue(requests[1].query, "requestId"));
}

TEST(StatementClientTest, PollsARunningStatementUntilItsResult) {
  std::atomic<int> polls{0};
  FakeSqlApi api([&polls](const SeenRequest& request, emulator::HttpResponse* response) {
    if (IsSubmit(request)) return Answer(response, 202, kAccepted);
    if (request.method == "GET" && request.path == "/api/v2/statements/H-1" &&
        request.query.empty()) {
      if (polls.fetch_add(1) < 2) return Answer(response, 202, kAccepted);
      return Answer(response, 200, kResult);
    }
    Answer(response, 404, R"({"code":"000000","message":"unexpected request"})");
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());

  Result<StatementResult> result = client.Execute(SelectStatement());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->handle, "H-1");
  EXPECT_EQ(result->first_partition.row_count(), 2u);
  EXPECT_EQ(polls.load(), 3);
  EXPECT_EQ(api.request_count(), 4u);
}

TEST(StatementClientTest, AwaitResultPollsAKeptHandle) {
  FakeSqlApi api([](const SeenRequest& request, emulator::HttpResponse* response) {
    if (request.method == "GET" && request.path == "/api/v2/statements/H-1") {
      return Answer(response, 200, kResult);
    }
    Answer(response, 404, "{}");
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  Result<StatementResult> result = client.AwaitResult("H-1");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->metadata.partition_count(), 2u);
}

TEST(StatementClientTest, HonoursRetryAfterAndResendsWithTheSameRequestId) {
  std::atomic<int> submits{0};
  FakeSqlApi api([&submits](const SeenRequest&, emulator::HttpResponse* response) {
    if (submits.fetch_add(1) == 0) {
      response->AddHeader("Retry-After", "0.3");
      return Answer(response, 429, R"({"code":"000000","message":"Too many requests"})");
    }
    Answer(response, 200, kResult);
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());

  const Clock::time_point start = Clock::now();
  Result<StatementResult> result = client.Execute(SelectStatement());
  const milliseconds elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  // The backoff alone is at most 5 ms: only Retry-After explains the wait.
  EXPECT_GE(elapsed.count(), 300);
  const std::vector<SeenRequest> requests = api.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(QueryValue(requests[0].query, "requestId"), QueryValue(requests[1].query, "requestId"));
  EXPECT_EQ(QueryValue(requests[1].query, "retry"), "true");
}

TEST(StatementClientTest, RetriesServerErrorsAndDroppedConnections) {
  std::atomic<int> submits{0};
  FakeSqlApi api([&submits](const SeenRequest&, emulator::HttpResponse* response) {
    const int attempt = submits.fetch_add(1);
    if (attempt < 2) return Answer(response, 503, R"({"message":"Service Unavailable"})");
    if (attempt == 2) {
      response->delivery = emulator::HttpResponse::Delivery::kDropConnection;
      return;
    }
    if (attempt == 3) return Answer(response, 504, "<html>Gateway Timeout</html>");
    Answer(response, 200, kResult);
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());

  Result<StatementResult> result = client.Execute(SelectStatement());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const std::vector<SeenRequest> requests = api.requests();
  ASSERT_EQ(requests.size(), 5u);
  for (const SeenRequest& request : requests) {
    EXPECT_EQ(QueryValue(request.query, "requestId"), QueryValue(requests[0].query, "requestId"));
    EXPECT_EQ(request.body, requests[0].body);
  }
}

TEST(StatementClientTest, GivesUpAfterTheAttemptsAllowed) {
  FakeSqlApi api([](const SeenRequest&, emulator::HttpResponse* response) {
    Answer(response, 503, R"({"code":"000000","message":"Service Unavailable"})");
  });
  FakeCredentials credentials(true);
  StatementClientOptions options = FastOptions();
  options.max_attempts = 3;
  StatementClient client(api.url(), &credentials, options);

  Result<StatementResult> result = client.Execute(SelectStatement());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(result.status().message().find("failed after 3 attempts"), std::string::npos)
      << result.status().message();
  EXPECT_NE(result.status().message().find("HTTP 503"), std::string::npos);
  EXPECT_NE(result.status().message().find("try again later"), std::string::npos);
  EXPECT_EQ(api.request_count(), 3u);
}

TEST(StatementClientTest, AnUnreachableServerIsUnavailable) {
  // A port that was just free: nothing listens there.
  std::string url;
  {
    FakeSqlApi closed([](const SeenRequest&, emulator::HttpResponse*) {});
    url = closed.url();
  }
  FakeCredentials credentials(true);
  StatementClientOptions options = FastOptions();
  options.max_attempts = 2;
  StatementClient client(url, &credentials, options);
  Result<StatementResult> result = client.Execute(SelectStatement());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(result.status().message().find("no answer"), std::string::npos)
      << result.status().message();
}

TEST(StatementClientTest, RenewsCredentialsOnceAfterA401) {
  FakeSqlApi api([](const SeenRequest& request, emulator::HttpResponse* response) {
    if (request.authorization != "Bearer renewed-jwt-secret") {
      return Answer(response, 401,
                    R"({"code":"390144","message":"JWT token is invalid.","sqlState":"08001"})");
    }
    Answer(response, 200, kResult);
  });
  FakeCredentials credentials(/*renews=*/true);
  StatementClient client(api.url(), &credentials, FastOptions());

  Result<StatementResult> result = client.Execute(SelectStatement());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(credentials.renewals(), 1);
  EXPECT_EQ(api.request_count(), 2u);
}

TEST(StatementClientTest, A401ThatRenewalCannotFixFailsWithTheAdvice) {
  FakeSqlApi api([](const SeenRequest&, emulator::HttpResponse* response) {
    // A server that echoes the token it refused: it must not be quoted.
    Answer(response, 401, R"({"code":"390144","message":"token first-jwt-secret is invalid."})");
  });
  FakeCredentials credentials(/*renews=*/false);
  StatementClient client(api.url(), &credentials, FastOptions());

  Result<StatementResult> result = client.Execute(SelectStatement());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnauthenticated);
  const std::string& message = result.status().message();
  EXPECT_NE(message.find("HTTP 401, code 390144"), std::string::npos) << message;
  EXPECT_NE(message.find("SHA256:FAKEFP"), std::string::npos) << message;
  EXPECT_EQ(message.find("first-jwt-secret"), std::string::npos) << message;
  EXPECT_NE(message.find("<redacted"), std::string::npos) << message;
  EXPECT_EQ(api.request_count(), 1u);
  EXPECT_EQ(credentials.renewals(), 1);
}

TEST(StatementClientTest, A401AfterRenewalIsNotRetriedAgain) {
  FakeSqlApi api([](const SeenRequest&, emulator::HttpResponse* response) {
    Answer(response, 401, R"({"code":"390144","message":"JWT token is invalid."})");
  });
  FakeCredentials credentials(/*renews=*/true);
  StatementClient client(api.url(), &credentials, FastOptions());
  Result<StatementResult> result = client.Execute(SelectStatement());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(api.request_count(), 2u);
  EXPECT_EQ(credentials.renewals(), 1);
}

TEST(StatementClientTest, A403IsNotRetriedAndCarriesTheAdvice) {
  FakeSqlApi api([](const SeenRequest&, emulator::HttpResponse* response) {
    Answer(response, 403, R"({"code":"390101","message":"SQL API not enabled for user."})");
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  Result<StatementResult> result = client.Execute(SelectStatement());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(result.status().message().find("SQL API not enabled for user."), std::string::npos);
  EXPECT_NE(result.status().message().find("SHA256:FAKEFP"), std::string::npos);
  EXPECT_EQ(api.request_count(), 1u);
  EXPECT_EQ(credentials.renewals(), 0);
}

TEST(StatementClientTest, A422ShowsSnowflakesMessageAndTheStatement) {
  FakeSqlApi api([](const SeenRequest&, emulator::HttpResponse* response) {
    Answer(response, 422,
           R"({"code":"002003","sqlState":"42S02","message":"SQL compilation error:\n)"
           R"(Object 'D01_SKYFLOW_POC.PUBLIC.PATIENTS' does not exist or not authorized.",)"
           R"("statementHandle":"H-9"})");
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  Statement statement = SelectStatement();
  statement.text += " WHERE " + std::string(1000, 'x') + " = 'tail-not-shown'";

  Result<StatementResult> result = client.Execute(statement);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  const std::string& message = result.status().message();
  EXPECT_NE(message.find("HTTP 422, code 002003, SQL state 42S02: SQL compilation error: "
                         "Object 'D01_SKYFLOW_POC.PUBLIC.PATIENTS' does not exist"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("statement: SELECT value, token FROM D01_SKYFLOW_POC.PUBLIC.PATIENTS"),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find("tail-not-shown"), std::string::npos) << message;
  EXPECT_NE(message.find("correct the query"), std::string::npos);
  EXPECT_EQ(api.request_count(), 1u);
}

TEST(StatementClientTest, A422WhilePollingAlsoShowsTheStatement) {
  FakeSqlApi api([](const SeenRequest& request, emulator::HttpResponse* response) {
    if (IsSubmit(request)) return Answer(response, 202, kAccepted);
    Answer(response, 422,
           R"({"code":"100038","sqlState":"22018","message":"Numeric value 'abc' is not )"
           R"(recognized"})");
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  Result<StatementResult> result = client.Execute(SelectStatement());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("Numeric value 'abc' is not recognized"),
            std::string::npos);
  EXPECT_NE(result.status().message().find("statement: SELECT value"), std::string::npos);
}

TEST(StatementClientTest, A408SaysTheStatementTimedOut) {
  FakeSqlApi api([](const SeenRequest&, emulator::HttpResponse* response) {
    Answer(response, 408,
           R"({"code":"000630","sqlState":"57014","message":"Statement reached its )"
           R"(statement or warehouse timeout of 3,600 second(s) and was canceled."})");
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  Result<StatementResult> result = client.Execute(SelectStatement());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("ran past its timeout"), std::string::npos)
      << result.status().message();
  EXPECT_NE(result.status().message().find("code 000630"), std::string::npos);
  EXPECT_NE(result.status().message().find("raise the statement timeout"), std::string::npos);
  EXPECT_EQ(api.request_count(), 1u);
}

TEST(StatementClientTest, FetchesAGzipEncodedPartition) {
  const std::string partition_body = R"({"data":[["bob","tok_c"],["","tok_d"]]})";
  FakeSqlApi api([&partition_body](const SeenRequest& request, emulator::HttpResponse* response) {
    if (request.path == "/api/v2/statements/H-1" && QueryValue(request.query, "partition") == "1" &&
        request.accept_encoding.find("gzip") != std::string::npos) {
      response->AddHeader("Content-Encoding", "gzip");
      return Answer(response, 200, Gzip(partition_body));
    }
    Answer(response, 400, R"({"code":"391922","message":"bad partition request"})");
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());

  Result<RowBlock> rows = client.FetchPartition("H-1", 1);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->row_count(), 2u);
  EXPECT_EQ(rows->Cell(0, 0), std::optional<std::string_view>("bob"));
  EXPECT_EQ(rows->Cell(1, 0), std::optional<std::string_view>(""));
  EXPECT_EQ(rows->Cell(1, 1), std::optional<std::string_view>("tok_d"));
  const std::vector<SeenRequest> requests = api.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
}

TEST(StatementClientTest, APartitionOutOfRangeOrAnUnknownHandleIsNotRetried) {
  FakeSqlApi api([](const SeenRequest& request, emulator::HttpResponse* response) {
    if (request.path == "/api/v2/statements/H-1") {
      return Answer(response, 400,
                    R"({"code":"391922","message":"The partition number 9 is out of range."})");
    }
    Answer(response, 404, R"({"code":"333333","message":"Statement not found."})");
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());

  Result<RowBlock> out_of_range = client.FetchPartition("H-1", 9);
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_EQ(out_of_range.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(out_of_range.status().message().find("code 391922"), std::string::npos)
      << out_of_range.status().message();
  EXPECT_NE(out_of_range.status().message().find("partition 9 of statement H-1"),
            std::string::npos);

  Result<RowBlock> unknown = client.FetchPartition("H-2", 1);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("Statement not found."), std::string::npos);
  EXPECT_EQ(api.request_count(), 2u);
}

TEST(StatementClientTest, AMalformedPartitionIsAParseErrorNamingIt) {
  FakeSqlApi api([](const SeenRequest&, emulator::HttpResponse* response) {
    Answer(response, 200, R"({"data":[["a","b"],["c")");
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  Result<RowBlock> rows = client.FetchPartition("H-1", 3);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), StatusCode::kParseError);
  EXPECT_NE(rows.status().message().find("partition 3 of statement H-1"), std::string::npos)
      << rows.status().message();
}

TEST(StatementClientTest, HandlesAreEscapedInThePath) {
  FakeSqlApi api([](const SeenRequest&, emulator::HttpResponse* response) {
    Answer(response, 200, R"({"data":[]})");
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  ASSERT_TRUE(client.FetchPartition("a/b?c", 2).ok());
  const std::vector<SeenRequest> requests = api.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/api/v2/statements/a%2Fb%3Fc");
  EXPECT_EQ(requests[0].query, "partition=2");
}

TEST(StatementClientTest, CancelPostsToTheCancelEndpoint) {
  FakeSqlApi api([](const SeenRequest&, emulator::HttpResponse* response) {
    Answer(response, 200,
           R"({"code":"000604","sqlState":"57014","message":"SQL execution canceled",)"
           R"("statementHandle":"H-1"})");
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  const Status cancelled = client.Cancel("H-1");
  EXPECT_TRUE(cancelled.ok()) << cancelled.ToString();
  const std::vector<SeenRequest> requests = api.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/api/v2/statements/H-1/cancel");
  EXPECT_EQ(requests[0].authorization, "Bearer first-jwt-secret");
}

TEST(StatementClientTest, AStopRequestEndsPollingPromptly) {
  FakeSqlApi api([](const SeenRequest& request, emulator::HttpResponse* response) {
    Answer(response, 202, kAccepted);
    // Polls answered slowly: the stop must not wait for the answer either.
    if (!IsSubmit(request)) response->delay = milliseconds(3000);
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  std::stop_source stop;
  std::thread stopper([&stop] {
    std::this_thread::sleep_for(milliseconds(200));
    stop.request_stop();
  });
  const Clock::time_point start = Clock::now();
  Result<StatementResult> result = client.Execute(SelectStatement(), stop.get_token());
  const auto elapsed = Clock::now() - start;
  stopper.join();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCancelled);
  EXPECT_LT(elapsed, milliseconds(1500));
}

TEST(StatementClientTest, CallsFromSeveralThreadsAtOnce) {
  FakeSqlApi api([](const SeenRequest& request, emulator::HttpResponse* response) {
    const std::string index = QueryValue(request.query, "partition");
    response->delay = milliseconds(20);
    Answer(response, 200, R"({"data":[["v)" + index + R"(","t)" + index + R"("]]})");
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  std::vector<std::thread> threads;
  std::atomic<int> correct{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&client, &correct, t] {
      for (int i = 0; i < 5; ++i) {
        const size_t index = static_cast<size_t>(t * 10 + i);
        Result<RowBlock> rows = client.FetchPartition("H-1", index);
        if (rows.ok() && rows->Cell(0, 0) == "v" + std::to_string(index)) correct.fetch_add(1);
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(correct.load(), 20);
}

}  // namespace
}  // namespace skyflow::snowflake
