#include "vault/vault_answer.h"

#include "util/ascii.h"
#include "vault/insert_response.h"

namespace skyflow {

const char* AnswerKindName(AnswerKind kind) {
  switch (kind) {
    case AnswerKind::kSuccess:
      return "success";
    case AnswerKind::kThrottled:
      return "throttled";
    case AnswerKind::kTransient:
      return "transient";
    case AnswerKind::kConflict:
      return "conflict";
    case AnswerKind::kRefused:
      return "refused";
    case AnswerKind::kUnauthenticated:
      return "unauthenticated";
    case AnswerKind::kNotFound:
      return "not-found";
    case AnswerKind::kUntrustedServer:
      return "untrusted-server";
    case AnswerKind::kRedirected:
      return "redirected";
  }
  return "unknown";
}

bool IsUniquenessViolation(long status, std::string_view message) {
  if (status == 409) return true;
  return status == 400 && (ContainsIgnoreCase(message, "unique constraint") ||
                           ContainsIgnoreCase(message, "already exists") ||
                           ContainsIgnoreCase(message, "duplicate"));
}

std::string DescribeHttpError(long status, std::string_view message, std::string_view request_id) {
  std::string text = "HTTP " + std::to_string(status) + ": " + std::string(message);
  if (!request_id.empty()) text += " (request id " + std::string(request_id) + ")";
  return text;
}

VaultAnswer ClassifyAnswer(const HttpResponse& response) {
  VaultAnswer answer;
  answer.http_status = response.status;
  answer.request_id = response.request_id;
  answer.retry_after = response.retry_after;
  answer.timed_out = response.timed_out;

  if (response.transport_failed()) {
    answer.kind = response.tls_untrusted ? AnswerKind::kUntrustedServer : AnswerKind::kTransient;
    answer.reason = (response.tls_untrusted ? "TLS error: "
                     : response.timed_out   ? "request timed out: "
                                            : "network error: ") +
                    response.transport_error;
    return answer;
  }
  const long status = response.status;
  if (status >= 200 && status < 300) {
    answer.kind = AnswerKind::kSuccess;
    return answer;
  }
  if (status >= 300 && status < 400) {
    // Never followed: the bearer token must not travel to another host.
    answer.kind = AnswerKind::kRedirected;
    answer.reason = DescribeHttpError(
        status,
        "redirect to " +
            PrintablePrefix(response.location.empty() ? "(no Location)" : response.location),
        response.request_id);
    return answer;
  }
  const std::string message = ErrorMessageOf(response.body);
  answer.reason = DescribeHttpError(status, message, response.request_id);
  if (status == 429 || status == 503) {
    answer.kind = AnswerKind::kThrottled;
  } else if (status == 408 || status >= 500) {
    answer.kind = AnswerKind::kTransient;
  } else if (status == 401 || status == 403) {
    answer.kind = AnswerKind::kUnauthenticated;
  } else if (status == 404) {
    answer.kind = AnswerKind::kNotFound;
  } else if (IsUniquenessViolation(status, message)) {
    answer.kind = AnswerKind::kConflict;
  } else {
    answer.kind = AnswerKind::kRefused;
  }
  return answer;
}

}  // namespace skyflow
