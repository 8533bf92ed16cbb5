// ErrorLog: one vault's error log, the file that receives every row that was
// read but not stored, with the reason, as JSON Lines (one object per row).
//
// Rows hold sensitive plaintext, so the file is created with mode 0600, and
// only when there is something to write. Each Append is written and
// fdatasync'ed before it returns: a row reported is never lost by a crash,
// and a checkpoint taken after the report never claims a row the log lacks.
// Thread-safe: the vault's producer (source rejects) and the dispatcher
// (vault failures) append concurrently.
//
// Line format: error_log/error_log_entry.h, the one definition that the
// reader of -error-log shares.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "error_log/error_log_entry.h"
#include "pipeline/record_fate.h"
#include "source/record.h"
#include "util/status.h"

namespace skyflow {

// Who the log is about: written on every line, so that a line stands alone.
struct ErrorLogVault {
  std::string name;
  std::string id;
  std::string table;
  std::string column;
  std::string origin_label;  // the source's OriginLabel(), for vault failures
};

class ErrorLog {
 public:
  ErrorLog(std::string path, ErrorLogVault vault);
  ~ErrorLog();
  ErrorLog(const ErrorLog&) = delete;
  ErrorLog& operator=(const ErrorLog&) = delete;

  // Rows the source (or the batcher) could not turn into records to send.
  Status AppendSourceRejects(const std::vector<RejectedRow>& rows);

  // Records the vault did not store (conflicts, refusals, retries given up).
  Status AppendVaultFailure(const SettledRecords& settled);

  const std::string& path() const { return path_; }
  uint64_t lines_written() const;

 private:
  // Writes `count` lines durably, under the lock.
  Status AppendLines(const std::string& lines, uint64_t count);
  Status WriteDurably(const std::string& lines);
  ErrorLogEntry EntryFor(ErrorLogStage stage, ErrorLogOutcome outcome,
                         const std::string& time) const;

  const std::string path_;
  const ErrorLogVault vault_;
  mutable std::mutex mutex_;
  int fd_ = -1;
  uint64_t lines_written_ = 0;
};

// Prepares the error log of a run being resumed: keeps the lines of rows
// before `next_sequence` (the checkpoint; they are settled for good) and
// drops the others, whose rows the resumed run reads and reports again. A
// torn last line (a crash mid-write) is dropped too. Atomic; nothing to do
// when the file does not exist. Returns the lines kept.
Result<uint64_t> TrimErrorLog(const std::string& path, uint64_t next_sequence);

}  // namespace skyflow
