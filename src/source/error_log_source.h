// ErrorLogSource: the records of an error log (error_log/error_log_reader.h,
// either format) to send again, for -error-log.
//
// It yields, in file order, the entries of one vault (its name compared
// ignoring case) that the retry rules select (error_log/retry_rules.h); the
// others are passed over: they stay in the old log, and the analysis screen
// lists them. A record's sequence is its 0-based position among all the
// log's records (so numbers have gaps where entries are passed over), its
// origin_line the JSON Lines line or the Go record's 1-based number, and
// OriginLabel() the log's path: a record that fails again is reported as
// "<log>:<line>". An entry whose value or token cannot be sent (empty, not
// UTF-8: source rejects resent by -error-log-all) is a rejected row with
// the reason, as the CSV source would make it.
//
// Streams as the reader does. A reader error ends the source with that
// Status. Not thread-safe: one thread at a time, as every RecordSource.
#pragma once

#include <memory>
#include <string>

#include "error_log/error_log_reader.h"
#include "error_log/retry_rules.h"
#include "source/record_source.h"

namespace skyflow {

struct ErrorLogSourceOptions {
  std::string path;
  std::string vault;  // entries of this vault only
  RetrySelection selection;
  bool skip_torn_tail = false;
};

class ErrorLogSource final : public RecordSource {
 public:
  static Result<std::unique_ptr<ErrorLogSource>> Open(const ErrorLogSourceOptions& options);

  Status Next(size_t max_rows, SourceChunk* chunk) override;
  std::string Describe() const override { return "error log " + options_.path; }
  std::string OriginLabel() const override { return options_.path; }

 private:
  ErrorLogSource(ErrorLogSourceOptions options, std::unique_ptr<ErrorLogReader> reader)
      : options_(std::move(options)), reader_(std::move(reader)) {}

  const ErrorLogSourceOptions options_;
  std::unique_ptr<ErrorLogReader> reader_;
  uint64_t position_ = 0;  // records of the log read so far
  bool end_of_input_ = false;
  Status error_;
};

}  // namespace skyflow
