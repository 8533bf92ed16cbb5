// Decoding what the vault answers: the per-table insert's success body, the
// batch endpoint's per-record answers, and the message of an error body.
// Uses simdjson; thread-safe (each call has its own parser state).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/printable_text.h"  // PrintablePrefix, used with these decoders
#include "util/status.h"

namespace skyflow {

// Number of entries in a 200 body's "records" array, each of which must carry
// a "skyflow_id". An error says what is malformed.
Result<size_t> CountInsertedRecords(std::string_view body);

// One record's answer from the batch endpoint.
struct RecordAnswer {
  long status = 0;      // the entry's "Status" (200 for a bare success entry)
  std::string message;  // "Body.error" when it failed
};

// The "responses" of a batch-endpoint answer (200 or 207), in request order.
// Entries are {"Status":N,"Body":{...}} with continueOnError, or bare
// {"records":[...]} successes without it.
Result<std::vector<RecordAnswer>> DecodeBatchAnswers(std::string_view body);

// The human-readable message of an error body: {"error":{"message":...}} as
// the vault sends it, {"error":"..."} as some proxies do, else a short,
// printable prefix of the body itself.
std::string ErrorMessageOf(std::string_view body);

}  // namespace skyflow
