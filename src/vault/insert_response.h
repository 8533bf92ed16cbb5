// Decoding what the vault answers to an insert: the success body's per-record
// results, and the message of an error body. Uses simdjson; thread-safe (each
// call has its own parser state).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "util/status.h"

namespace skyflow {

// Number of entries in a 200 body's "records" array, each of which must carry
// a "skyflow_id". An error says what is malformed.
Result<size_t> CountInsertedRecords(std::string_view body);

// The human-readable message of an error body: {"error":{"message":...}} as
// the vault sends it, {"error":"..."} as some proxies do, else a short,
// printable prefix of the body itself.
std::string ErrorMessageOf(std::string_view body);

}  // namespace skyflow
