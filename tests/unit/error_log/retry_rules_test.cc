#include "error_log/retry_rules.h"

#include <gtest/gtest.h>

namespace skyflow {
namespace {

ErrorLogEntry Failure(int64_t status, ErrorLogOutcome outcome = ErrorLogOutcome::kFailed) {
  ErrorLogEntry entry;
  entry.stage = ErrorLogStage::kVault;
  entry.outcome = outcome;
  entry.status = status;
  return entry;
}

TEST(RetryRulesTest, ClassifiesEveryDocumentedCase) {
  ErrorLogEntry reject;
  reject.stage = ErrorLogStage::kSource;
  reject.outcome = ErrorLogOutcome::kRejected;
  EXPECT_EQ(ClassifyFailure(reject), FailureClass::kSourceReject);
  EXPECT_EQ(ClassifyFailure(Failure(409, ErrorLogOutcome::kConflict)), FailureClass::kConflict);
  EXPECT_EQ(ClassifyFailure(Failure(0, ErrorLogOutcome::kConflict)), FailureClass::kConflict);
  EXPECT_EQ(ClassifyFailure(Failure(409)), FailureClass::kConflict);
  EXPECT_EQ(ClassifyFailure(Failure(0)), FailureClass::kTransport);
  EXPECT_EQ(ClassifyFailure(Failure(408)), FailureClass::kBusy);
  EXPECT_EQ(ClassifyFailure(Failure(429)), FailureClass::kBusy);
  for (int64_t status : {500, 502, 503, 504, 599})
    EXPECT_EQ(ClassifyFailure(Failure(status)), FailureClass::kServerError) << status;
  EXPECT_EQ(ClassifyFailure(Failure(401)), FailureClass::kCredentials);
  EXPECT_EQ(ClassifyFailure(Failure(403)), FailureClass::kCredentials);
  EXPECT_EQ(ClassifyFailure(Failure(404)), FailureClass::kNotFound);
  for (int64_t status : {400, 413, 422, 499})
    EXPECT_EQ(ClassifyFailure(Failure(status)), FailureClass::kRefused) << status;
  for (int64_t status : {200, 302, 600})
    EXPECT_EQ(ClassifyFailure(Failure(status)), FailureClass::kOther) << status;
}

TEST(RetryRulesTest, ResendsOnlyWhatCanChangeUnlessAskedForEverything) {
  const RetrySelection plain{};
  const RetrySelection upsert{.upsert = true};
  const RetrySelection all{.everything = true};
  const struct {
    FailureClass failure;
    bool plain, upsert;
  } table[] = {
      {FailureClass::kSourceReject, false, false}, {FailureClass::kConflict, false, true},
      {FailureClass::kTransport, true, true},      {FailureClass::kBusy, true, true},
      {FailureClass::kServerError, true, true},    {FailureClass::kCredentials, true, true},
      {FailureClass::kNotFound, true, true},       {FailureClass::kRefused, false, false},
      {FailureClass::kOther, true, true},
  };
  ASSERT_EQ(RetryRules().size(), std::size(table));
  for (size_t i = 0; i < std::size(table); ++i) {
    const auto& row = table[i];
    EXPECT_EQ(RetryRules()[i].failure, row.failure) << "the rules keep the documented order";
    EXPECT_EQ(ShouldResend(row.failure, plain), row.plain) << RuleFor(row.failure).name;
    EXPECT_EQ(ShouldResend(row.failure, upsert), row.upsert) << RuleFor(row.failure).name;
    EXPECT_TRUE(ShouldResend(row.failure, all)) << RuleFor(row.failure).name;
    EXPECT_NE(std::string(RuleFor(row.failure).why), "");
  }
}

}  // namespace
}  // namespace skyflow
