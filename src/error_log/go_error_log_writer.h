// WriteGoErrorLog: the Go loader's error log (error_log_<VAULT>_<time>.json)
// written from one of ours (JSON Lines), for -error-log-format go and for
// tools made for the Go loader.
//
// The document has the Go loader's shape and layout: 2-space indent, fields
// vault_name, vault_id, column, timestamp (when it was written), total_errors,
// failed_records, errors[{batch_number, records[{Value, Token}], error,
// status_code (left out when 0), timestamp}]. Consecutive entries of the same
// batch, status and message make one errors[] element. As the Go loader logs
// only what the vault did not store, source rejects are left out (counted in
// the result; they stay in the JSON Lines log). Values and tokens that are
// not UTF-8 (never sent, so never in a vault failure) would be written with
// U+FFFD, as Go does.
//
// Streams: two passes over the JSON Lines log (counts first, since they
// come before "errors"), one entry in memory at a time. The file is created
// with mode 0600 under a temporary name beside `json_path`, synced, then
// renamed, so a reader never sees half of it. Nothing is written when the
// vault has no vault failures. Stateless; thread-safe for distinct paths.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

#include "util/status.h"

namespace skyflow {

struct GoErrorLogResult {
  bool written = false;
  uint64_t records = 0;         // in the Go log
  uint64_t errors = 0;          // its errors[] elements
  uint64_t source_rejects = 0;  // left out
};

// Which vault to convert, and what to write for its ID and column when the
// log's entries do not say (rejects files of earlier versions).
struct GoErrorLogVault {
  std::string name;  // any letter case; empty: every entry, all of one vault
  std::string id;
  std::string column;
};

// Converts the entries of `vault` in `jsonl_path`. A missing `jsonl_path`
// means nothing failed: nothing is written.
Result<GoErrorLogResult> WriteGoErrorLog(const std::string& jsonl_path,
                                         const std::string& json_path,
                                         const GoErrorLogVault& vault = {});

// "error_log_<VAULT>_<YYYYMMDD_HHMMSS>.json", from the local time given; a
// '/' in the vault name becomes '_'.
std::string GoErrorLogFileName(std::string_view vault, const std::tm& local_time);

}  // namespace skyflow
