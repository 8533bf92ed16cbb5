#include "vault/insert_outcome.h"

#include <gtest/gtest.h>

namespace skyflow {
namespace {

HttpResponse Answer(long status, std::string body, std::string request_id = "req-1") {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.request_id = std::move(request_id);
  return response;
}

TEST(InsertOutcomeTest, OkWithEveryRecordIsLoaded) {
  const auto outcome = ClassifyInsertResponse(
      Answer(200, R"({"records":[{"skyflow_id":"a"},{"skyflow_id":"b"}]})"), 2);
  EXPECT_EQ(outcome.kind, OutcomeKind::kLoaded);
}

TEST(InsertOutcomeTest, OkThatDoesNotAccountForTheBatchIsReported) {
  const auto outcome =
      ClassifyInsertResponse(Answer(200, R"({"records":[{"skyflow_id":"a"}]})"), 2);
  EXPECT_EQ(outcome.kind, OutcomeKind::kRejected);
  EXPECT_NE(outcome.reason.find("1 records answered for a batch of 2"), std::string::npos);
}

TEST(InsertOutcomeTest, ThrottlingAndServerErrorsAreRetryable) {
  for (long status : {408L, 429L, 500L, 502L, 503L, 504L}) {
    EXPECT_EQ(ClassifyInsertResponse(Answer(status, "{}"), 1).kind, OutcomeKind::kRetryable)
        << status;
  }
  EXPECT_TRUE(ClassifyInsertResponse(Answer(429, "{}"), 1).throttled);
}

TEST(InsertOutcomeTest, TransportFailureIsRetryable) {
  HttpResponse response;
  response.transport_error = "Connection refused";
  const auto outcome = ClassifyInsertResponse(response, 1);
  EXPECT_EQ(outcome.kind, OutcomeKind::kRetryable);
  EXPECT_NE(outcome.reason.find("Connection refused"), std::string::npos);
}

TEST(InsertOutcomeTest, UntrustedServerCertificateStopsTheRun) {
  HttpResponse response;
  response.transport_error = "SSL certificate problem: unable to get local issuer certificate";
  response.tls_untrusted = true;
  const auto outcome = ClassifyInsertResponse(response, 1);
  EXPECT_EQ(outcome.kind, OutcomeKind::kUntrustedServer);
  EXPECT_EQ(outcome.reason, "TLS error: " + response.transport_error);
}

TEST(InsertOutcomeTest, UniquenessViolationsAreConflictsWhicheverStatus) {
  EXPECT_EQ(ClassifyInsertResponse(Answer(409, "{}"), 1).kind, OutcomeKind::kConflict);
  const auto outcome = ClassifyInsertResponse(
      Answer(
          400,
          R"({"error":{"grpc_code":3,"http_code":400,"message":"Unique constraint violation"}})"),
      1);
  EXPECT_EQ(outcome.kind, OutcomeKind::kConflict);
  EXPECT_NE(outcome.reason.find("Unique constraint violation"), std::string::npos);
  EXPECT_NE(outcome.reason.find("req-1"), std::string::npos);
}

TEST(InsertOutcomeTest, OtherClientErrorsAreRejected) {
  const auto outcome =
      ClassifyInsertResponse(Answer(400, R"({"error":{"message":"Invalid field"}})"), 1);
  EXPECT_EQ(outcome.kind, OutcomeKind::kRejected);
  EXPECT_EQ(outcome.reason, "HTTP 400: Invalid field (request id req-1)");
}

TEST(InsertOutcomeTest, CredentialsAndMissingVaults) {
  EXPECT_EQ(ClassifyInsertResponse(Answer(401, "{}"), 1).kind, OutcomeKind::kUnauthenticated);
  EXPECT_EQ(ClassifyInsertResponse(Answer(403, "{}"), 1).kind, OutcomeKind::kUnauthenticated);
  EXPECT_EQ(ClassifyInsertResponse(Answer(404, "{}"), 1).kind, OutcomeKind::kVaultMissing);
}

TEST(InsertOutcomeTest, ErrorBodiesOfOtherShapesStillGiveAMessage) {
  EXPECT_EQ(ClassifyInsertResponse(Answer(400, R"({"error":"plain"})", ""), 1).reason,
            "HTTP 400: plain");
  EXPECT_EQ(ClassifyInsertResponse(Answer(400, "<html>bad\ngateway</html>", ""), 1).reason,
            "HTTP 400: <html>bad gateway</html>");
}

}  // namespace
}  // namespace skyflow
