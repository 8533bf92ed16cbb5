#include "error_log/retry_rules.h"

namespace skyflow {
namespace {

constexpr RetryRule kRetryRules[] = {
    {FailureClass::kSourceReject, "rejected by the source", RetryVerdict::kSkip,
     "the input is wrong and fails the same way again: fix the input"},
    {FailureClass::kConflict, "conflict (HTTP 409)", RetryVerdict::kResendWithUpsert,
     "the value or token is stored with another partner: resent only with -upsert"},
    {FailureClass::kTransport, "network error (no HTTP status)", RetryVerdict::kResend,
     "the connection failed, not the record"},
    {FailureClass::kBusy, "HTTP 408/429 (busy)", RetryVerdict::kResend, "the vault was busy"},
    {FailureClass::kServerError, "HTTP 5xx (server error)", RetryVerdict::kResend,
     "the vault failed"},
    {FailureClass::kCredentials, "HTTP 401/403 (credentials)", RetryVerdict::kResend,
     "the credentials may have been fixed"},
    {FailureClass::kNotFound, "HTTP 404 (vault or table not found)", RetryVerdict::kResend,
     "the vault or table settings may have been fixed"},
    {FailureClass::kRefused, "HTTP 4xx (record refused)", RetryVerdict::kSkip,
     "the vault refused the record itself: it fails the same way again"},
    {FailureClass::kOther, "other HTTP status", RetryVerdict::kResend,
     "the status says nothing about the record"},
};

}  // namespace

std::span<const RetryRule> RetryRules() {
  return kRetryRules;
}

const RetryRule& RuleFor(FailureClass failure) {
  for (const RetryRule& rule : kRetryRules) {
    if (rule.failure == failure) return rule;
  }
  return kRetryRules[std::size(kRetryRules) - 1];
}

FailureClass ClassifyFailure(const ErrorLogEntry& entry) {
  if (entry.stage == ErrorLogStage::kSource) return FailureClass::kSourceReject;
  const int64_t status = entry.status;
  if (entry.outcome == ErrorLogOutcome::kConflict || status == 409) return FailureClass::kConflict;
  if (status == 0) return FailureClass::kTransport;
  if (status == 408 || status == 429) return FailureClass::kBusy;
  if (status >= 500 && status <= 599) return FailureClass::kServerError;
  if (status == 401 || status == 403) return FailureClass::kCredentials;
  if (status == 404) return FailureClass::kNotFound;
  if (status >= 400 && status <= 499) return FailureClass::kRefused;
  return FailureClass::kOther;
}

bool ShouldResend(FailureClass failure, const RetrySelection& selection) {
  if (selection.everything) return true;
  switch (RuleFor(failure).verdict) {
    case RetryVerdict::kResend:
      return true;
    case RetryVerdict::kResendWithUpsert:
      return selection.upsert;
    case RetryVerdict::kSkip:
      return false;
  }
  return false;
}

}  // namespace skyflow
