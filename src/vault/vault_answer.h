// VaultAnswer: what one answer of the vault API means, decided from the HTTP
// exchange alone (status, transport failure, error body). Callers act on the
// kind; the reason is written for the user and carries the status and the
// request id that support asks for.
// Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "net/http_exchange.h"

namespace skyflow {

enum class AnswerKind {
  kSuccess,          // 2xx (the body still has to be read)
  kThrottled,        // 429 or 503: back-pressure, come back later
  kTransient,        // 408, other 5xx, a transport failure: may succeed later,
                     // and may have been applied (the answer was lost)
  kConflict,         // uniqueness violation: a token or value is already stored
  kRefused,          // any other 4xx: this content will not be accepted
  kUnauthenticated,  // 401/403: no request can succeed
  kNotFound,         // 404: the vault or table does not exist
  kUntrustedServer,  // TLS certificate not verified: no request can succeed
  kRedirected,       // 3xx: the vault URL is not the vault's own address
};

const char* AnswerKindName(AnswerKind kind);

struct VaultAnswer {
  AnswerKind kind = AnswerKind::kTransient;
  long http_status = 0;  // 0 for a transport failure
  std::string request_id;
  std::string reason;  // "HTTP 409: Unique constraint violation (request id r-12)"
  std::optional<std::chrono::milliseconds> retry_after;
  bool timed_out = false;
};

VaultAnswer ClassifyAnswer(const HttpResponse& response);

// The status of a uniqueness violation is not published (the vault API spec,
// section 4): 409, or 400 with a message saying so. Also used for the
// per-record statuses of the batch endpoint.
bool IsUniquenessViolation(long status, std::string_view message);

// "HTTP <status>: <message> (request id <id>)".
std::string DescribeHttpError(long status, std::string_view message, std::string_view request_id);

}  // namespace skyflow
