// RejectLog: the file that receives every record that was read but not
// loaded, with the reason, as JSON Lines (one object per record).
//
// Records hold sensitive plaintext, so the file is created with mode 0600,
// and only when there is something to write. Each Append is written and
// fdatasync'ed before it returns: a crash after a failure is reported never
// loses the report. Thread-safe: producers (source rejects) and the
// dispatcher (vault failures) append concurrently.
//
// Line format:
//   {"time":"2026-11-24T10:00:00Z","vault":"NAME","stage":"source"|"vault",
//    "origin":"data/name_data.csv:17","sequence":16,"reason":"empty token",
//    "value":"...","token":"", ["outcome":"conflict"|"failed","batch":42,
//    "http_status":409,"request_id":"...","attempts":1]}
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "pipeline/record_fate.h"
#include "source/record.h"
#include "util/status.h"

namespace skyflow {

class RejectLog {
 public:
  explicit RejectLog(std::string path);
  ~RejectLog();
  RejectLog(const RejectLog&) = delete;
  RejectLog& operator=(const RejectLog&) = delete;

  // Rows the source could not turn into records.
  Status AppendSourceRejects(const std::string& vault, const std::vector<RejectedRow>& rows);

  // Records the vault did not store (conflicts, refusals, retries given up);
  // their origins are "<origin_label>:<line>".
  Status AppendVaultFailure(const std::string& vault, const std::string& origin_label,
                            const SettledRecords& settled);

  const std::string& path() const { return path_; }
  uint64_t lines_written() const;

 private:
  Status WriteDurably(const std::string& lines);

  const std::string path_;
  mutable std::mutex mutex_;
  int fd_ = -1;
  uint64_t lines_written_ = 0;
};

}  // namespace skyflow
