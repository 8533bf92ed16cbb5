// Which records of an error log are sent again when it is reprocessed: only
// those whose failure can turn out differently on another try, unless the
// user asks for every record (-error-log-all).
//
//   failure (as logged)                       resent?        why
//   source reject (stage "source")            no             the input is wrong and fails the same
//                                                            way again: fix the input
//   conflict (outcome "conflict", or 409)     with -upsert   the value or token is stored with
//                                                            another partner; -upsert updates it
//   transport error (stage "vault", status 0) yes            the connection failed, not the record
//   408, 429                                  yes            the vault was busy
//   5xx                                       yes            the vault failed
//   401, 403                                  yes            the credentials may have been fixed
//   404                                       yes            the vault or table settings may have
//                                                            been fixed
//   any other 4xx                             no             the vault refused the record itself
//   any other status                          yes            says nothing about the record
//
// kRetryRules below is that table; the README copies it. Stateless;
// thread-safe.
#pragma once

#include <span>

#include "error_log/error_log_entry.h"

namespace skyflow {

enum class FailureClass {
  kSourceReject,
  kConflict,
  kTransport,
  kBusy,         // 408, 429
  kServerError,  // 5xx
  kCredentials,  // 401, 403
  kNotFound,     // 404
  kRefused,      // other 4xx
  kOther,
};

enum class RetryVerdict { kResend, kSkip, kResendWithUpsert };

struct RetryRule {
  FailureClass failure;
  const char* name;  // "HTTP 5xx (server error)"
  RetryVerdict verdict;
  const char* why;
};

// One row per FailureClass, in the order above.
std::span<const RetryRule> RetryRules();
const RetryRule& RuleFor(FailureClass failure);

FailureClass ClassifyFailure(const ErrorLogEntry& entry);

struct RetrySelection {
  bool upsert = false;      // -upsert: conflicts are resent
  bool everything = false;  // -error-log-all
};

bool ShouldResend(FailureClass failure, const RetrySelection& selection);

}  // namespace skyflow
