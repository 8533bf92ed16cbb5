// ErrorLogEntry: one record that finally failed (or that its source
// rejected), and the one definition of the error log's JSON Lines format:
// AppendErrorLogLine writes a line, ErrorLogLineDecoder reads one back.
//
// A line is one JSON object, fields in this order:
//   {"time":"2026-11-24T10:00:00Z",          RFC 3339, UTC
//    "vault":"NAME","vault_id":"...","table":"name","column":"name",
//    "stage":"source"|"vault",
//    "outcome":"rejected"|"conflict"|"failed",  rejected <=> stage source
//    "origin":"data/name_data.csv:17",
//    "sequence":16,                            0-based position in its source
//    "batch":42,                               0 for source rejects
//    "status":500,                             HTTP status; 0 when none
//    "message":"...","request_id":"...","attempts":3,
//    "value":"...","token":"..."}
// JSON holds only UTF-8: a value or token that is not (the very reason some
// rows are rejected) is written with U+FFFD for each bad byte, and its exact
// bytes in hex under "value_hex" / "token_hex", so nothing is lost and the
// line still parses; the decoder gives back the exact bytes. Other text
// (a server's message) is written with U+FFFD for bad bytes, without hex.
//
// The decoder is strict about what it knows: "vault", "stage", "sequence",
// "message", "value" and "token" are required, every field must have its
// type (a string, a non-negative integer), "stage" and "outcome" must agree,
// and a "*_hex" field must hold the same text as its readable twin. It
// ignores fields it does not know, so that a newer loader's lines still
// read. It also reads the lines of the rejects file written before this
// format: "reason" for "message", "http_status" for "status", no vault_id,
// table or column, and no "outcome" for source rejects.
//
// AppendErrorLogLine is stateless and thread-safe; a decoder is used by one
// thread at a time (it keeps its parser's buffers between lines).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/status.h"

namespace skyflow {

enum class ErrorLogStage { kSource, kVault };
enum class ErrorLogOutcome { kRejected, kConflict, kFailed };

const char* ErrorLogStageName(ErrorLogStage stage);        // "source", "vault"
const char* ErrorLogOutcomeName(ErrorLogOutcome outcome);  // "rejected", "conflict", "failed"

struct ErrorLogEntry {
  std::string time;  // RFC 3339, UTC (util/rfc3339.h)
  std::string vault;
  std::string vault_id;
  std::string table;
  std::string column;
  ErrorLogStage stage = ErrorLogStage::kVault;
  ErrorLogOutcome outcome = ErrorLogOutcome::kFailed;
  std::string origin;
  uint64_t sequence = 0;
  uint64_t batch = 0;
  int64_t status = 0;  // HTTP status; 0: none (transport error, source reject)
  std::string message;
  std::string request_id;
  int64_t attempts = 0;
  std::string value;
  std::string token;

  bool operator==(const ErrorLogEntry&) const = default;
};

// Appends `entry` as one line, its '\n' included.
void AppendErrorLogLine(const ErrorLogEntry& entry, std::string* out);

class ErrorLogLineDecoder {
 public:
  ErrorLogLineDecoder();
  ~ErrorLogLineDecoder();
  ErrorLogLineDecoder(const ErrorLogLineDecoder&) = delete;
  ErrorLogLineDecoder& operator=(const ErrorLogLineDecoder&) = delete;

  // Decodes one line (without its '\n'; a trailing '\r' is allowed). On
  // error the message names the field and what is wrong, without the
  // line's place (the reader adds "file:line: ") and without its values.
  Status Decode(std::string_view line, ErrorLogEntry* entry);

 private:
  struct Parser;
  std::unique_ptr<Parser> parser_;
};

}  // namespace skyflow
