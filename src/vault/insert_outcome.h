// InsertOutcome: what an insert attempt means for its batch, decided from the
// HTTP exchange alone. The dispatcher acts on the kind; the reason is written
// for the user and carries the status and request id that support asks for.
//
// The per-table insert endpoint is all-or-nothing: a 200 means every record
// of the batch is stored, anything else means none is.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "net/http_loop.h"

namespace skyflow {

enum class OutcomeKind {
  kLoaded,           // 200: every record stored
  kRetryable,        // 408, 429, 5xx, transport failure: try again later
  kConflict,         // uniqueness violation: a token (or value) already exists
  kRejected,         // any other refusal of this batch: not worth retrying
  kUnauthenticated,  // 401/403: no request can succeed; stop the run
  kVaultMissing,     // 404: the vault or table does not exist; stop this vault
  kUntrustedServer,  // TLS certificate not verified: no request can succeed; stop the run
};

const char* OutcomeKindName(OutcomeKind kind);

struct InsertOutcome {
  OutcomeKind kind = OutcomeKind::kRetryable;
  long http_status = 0;  // 0 for a transport failure
  std::string request_id;
  std::string reason;  // "HTTP 409: Unique constraint violation ... (request id r-12)"
  std::optional<std::chrono::milliseconds> retry_after;
  bool throttled = false;                // a 429: the server asked us to slow down
  std::chrono::microseconds latency{0};  // request sent to answer (or failure)
};

InsertOutcome ClassifyInsertResponse(const HttpResponse& response, size_t batch_records);

}  // namespace skyflow
