#include "vault/insert_outcome.h"

#include <algorithm>
#include <cctype>

#include "vault/insert_response.h"

namespace skyflow {
namespace {

bool ContainsIgnoreCase(std::string_view text, std::string_view needle) {
  auto it = std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
  return it != text.end();
}

// The status of a uniqueness violation is not published (the vault API spec,
// section 4): it may be 409, or 400 with a message saying so.
bool IsUniquenessViolation(long status, std::string_view message) {
  if (status == 409) return true;
  return status == 400 && (ContainsIgnoreCase(message, "unique constraint") ||
                           ContainsIgnoreCase(message, "already exists") ||
                           ContainsIgnoreCase(message, "duplicate"));
}

std::string WithRequestId(std::string reason, const std::string& request_id) {
  if (!request_id.empty()) reason += " (request id " + request_id + ")";
  return reason;
}

}  // namespace

const char* OutcomeKindName(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::kLoaded:
      return "loaded";
    case OutcomeKind::kRetryable:
      return "retryable";
    case OutcomeKind::kConflict:
      return "conflict";
    case OutcomeKind::kRejected:
      return "rejected";
    case OutcomeKind::kUnauthenticated:
      return "unauthenticated";
    case OutcomeKind::kVaultMissing:
      return "vault-missing";
    case OutcomeKind::kUntrustedServer:
      return "untrusted-server";
  }
  return "unknown";
}

InsertOutcome ClassifyInsertResponse(const HttpResponse& response, size_t batch_records) {
  InsertOutcome outcome;
  outcome.http_status = response.status;
  outcome.request_id = response.request_id;
  outcome.retry_after = response.retry_after;
  outcome.latency = std::chrono::duration_cast<std::chrono::microseconds>(response.elapsed);

  if (response.transport_failed() && response.tls_untrusted) {
    outcome.kind = OutcomeKind::kUntrustedServer;
    outcome.reason = "TLS error: " + response.transport_error;
    return outcome;
  }
  if (response.transport_failed()) {
    outcome.kind = OutcomeKind::kRetryable;
    outcome.reason =
        (response.timed_out ? "request timed out: " : "network error: ") + response.transport_error;
    return outcome;
  }

  const long status = response.status;
  if (status >= 200 && status < 300) {
    Result<size_t> inserted = CountInsertedRecords(response.body);
    if (inserted.ok() && *inserted == batch_records) {
      outcome.kind = OutcomeKind::kLoaded;
      return outcome;
    }
    // The vault said yes but its answer does not account for the batch:
    // report it rather than assume either way.
    outcome.kind = OutcomeKind::kRejected;
    outcome.reason = WithRequestId(
        "HTTP " + std::to_string(status) + " with an unexpected body: " +
            (inserted.ok() ? std::to_string(*inserted) + " records answered for a batch of " +
                                 std::to_string(batch_records)
                           : inserted.status().message()),
        response.request_id);
    return outcome;
  }

  const std::string message = ErrorMessageOf(response.body);
  outcome.reason =
      WithRequestId("HTTP " + std::to_string(status) + ": " + message, response.request_id);
  if (status == 429 || status == 408 || status >= 500) {
    outcome.kind = OutcomeKind::kRetryable;
    outcome.throttled = status == 429;
  } else if (status == 401 || status == 403) {
    outcome.kind = OutcomeKind::kUnauthenticated;
  } else if (status == 404) {
    outcome.kind = OutcomeKind::kVaultMissing;
  } else if (IsUniquenessViolation(status, message)) {
    outcome.kind = OutcomeKind::kConflict;
  } else {
    outcome.kind = OutcomeKind::kRejected;
  }
  return outcome;
}

}  // namespace skyflow
