// ErrorLogReader: the records of an error log, in file order, from either
// format, told apart by the content (never by the file name):
//   - JSON Lines (error_log_entry.h): one object per line. Streamed: one
//     line in memory at a time, at most max_line_bytes long.
//   - the Go loader's document (error_log_<VAULT>_<time>.json): one object
//     {vault_name, vault_id, column, timestamp, total_errors, failed_records,
//     errors: [{batch_number, records: [{Value, Token}], error, status_code,
//     timestamp}]}. Read whole (simdjson), at most max_document_bytes.
// Detection: the first line that is not blank must start with '{'. When it
// is a whole JSON object without an "errors" member, the file is JSON
// Lines; otherwise (a lone "{", an object with "errors", the start of an
// object spread over several lines) it is the Go document.
//
// Go records become entries with stage "vault", outcome "conflict" for
// status 409 and "failed" otherwise, the vault, vault_id and column of the
// document (table = column, as the Go loader inserts into the column's
// table), batch = batch_number, status = status_code (0 when omitted),
// message = error, time = the error's timestamp, attempts 0 (not recorded),
// sequence = the record's 0-based place in the document.
//
// Errors (kParseError unless said) start with "error log <path>" and name
// the line (JSON Lines) or the member path (Go): a line that is not an
// entry (error_log_entry.h says which), a line over the limit, a document
// over the limit (kInvalidArgument), a member of the wrong type, a file in
// neither format, and a log without records ("holds no failed records:
// nothing to reprocess", kInvalidArgument).
//
// A torn tail: a crash while a line was written leaves a last line with no
// newline that stops mid-object. That line's record cannot be recovered, so
// the reader never passes over it silently: by default it is an error
// naming the line; with skip_torn_tail the records before it are read and
// torn_line() names it, for the caller to report.
//
// Not thread-safe: one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "error_log/error_log_entry.h"
#include "util/status.h"

namespace skyflow {

enum class ErrorLogFormat { kJsonLines, kGo };

// "JSON Lines", "Go loader".
const char* ErrorLogFormatName(ErrorLogFormat format);

// The top of a Go document, for the analysis screen.
struct GoErrorLogHeader {
  std::string vault_name;
  std::string vault_id;
  std::string column;
  std::string timestamp;
  uint64_t total_errors = 0;
  uint64_t failed_records = 0;
};

struct ErrorLogReadOptions {
  size_t max_line_bytes = size_t{64} << 20;
  size_t max_document_bytes = size_t{256} << 20;
  bool skip_torn_tail = false;
};

class ErrorLogReader {
 public:
  static Result<std::unique_ptr<ErrorLogReader>> Open(const std::string& path,
                                                      const ErrorLogReadOptions& options = {});
  virtual ~ErrorLogReader() = default;

  // The next record into `entry`, and where it is: the JSON Lines line
  // (1-based) or the Go record's number (1-based). False at the end. An
  // error ends the reader: later calls repeat it.
  virtual Result<bool> Next(ErrorLogEntry* entry, uint64_t* line) = 0;

  virtual ErrorLogFormat format() const = 0;
  // Set for the Go format only.
  virtual const std::optional<GoErrorLogHeader>& go_header() const = 0;
  // The torn last line passed over (skip_torn_tail), once the end is read.
  virtual std::optional<uint64_t> torn_line() const = 0;
  const std::string& path() const { return path_; }

 protected:
  explicit ErrorLogReader(std::string path) : path_(std::move(path)) {}

 private:
  std::string path_;
};

// "error log <path> holds no failed records: nothing to reprocess".
Status EmptyErrorLog(const std::string& path);

}  // namespace skyflow
