#include "pipeline/error_log.h"

#include <fcntl.h>
#include <simdjson.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <fstream>

#include "util/atomic_file.h"
#include "util/errno_text.h"
#include "util/rfc3339.h"
#include "util/write_all.h"

namespace skyflow {

ErrorLog::ErrorLog(std::string path, ErrorLogVault vault)
    : path_(std::move(path)), vault_(std::move(vault)) {}

ErrorLog::~ErrorLog() {
  if (fd_ >= 0) ::close(fd_);
}

uint64_t ErrorLog::lines_written() const {
  std::lock_guard lock(mutex_);
  return lines_written_;
}

Status ErrorLog::WriteDurably(const std::string& lines) {
  // Caller holds mutex_.
  if (fd_ < 0) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      return Status::IoError("cannot create error log " + path_ + ": " + ErrnoText(errno) +
                             "; choose another place with -run-dir");
    }
    SKYFLOW_RETURN_IF_ERROR(SyncParentDirectory(path_));
  }
  SKYFLOW_RETURN_IF_ERROR(WriteAll(fd_, lines, "error log " + path_));
  if (::fdatasync(fd_) != 0) {
    return Status::IoError("cannot sync error log " + path_ + ": " + ErrnoText(errno));
  }
  return Status::Ok();
}

ErrorLogEntry ErrorLog::EntryFor(ErrorLogStage stage, ErrorLogOutcome outcome,
                                 const std::string& time) const {
  ErrorLogEntry entry;
  entry.time = time;
  entry.vault = vault_.name;
  entry.vault_id = vault_.id;
  entry.table = vault_.table;
  entry.column = vault_.column;
  entry.stage = stage;
  entry.outcome = outcome;
  return entry;
}

Status ErrorLog::AppendSourceRejects(const std::vector<RejectedRow>& rows) {
  if (rows.empty()) return Status::Ok();
  const std::string time = FormatRfc3339Utc(std::time(nullptr));
  std::string lines;
  for (const RejectedRow& row : rows) {
    ErrorLogEntry entry = EntryFor(ErrorLogStage::kSource, ErrorLogOutcome::kRejected, time);
    entry.origin = row.origin;
    entry.sequence = row.sequence;
    entry.message = row.reason;
    entry.value = row.value;
    entry.token = row.token;
    AppendErrorLogLine(entry, &lines);
  }
  return AppendLines(lines, rows.size());
}

Status ErrorLog::AppendVaultFailure(const SettledRecords& settled) {
  if (settled.records.empty()) return Status::Ok();
  const std::string time = FormatRfc3339Utc(std::time(nullptr));
  const ErrorLogOutcome outcome =
      settled.fate == RecordFate::kConflict ? ErrorLogOutcome::kConflict : ErrorLogOutcome::kFailed;
  std::string lines;
  for (const Record& record : settled.records) {
    ErrorLogEntry entry = EntryFor(ErrorLogStage::kVault, outcome, time);
    entry.origin = FormatOrigin(vault_.origin_label, record.origin_line);
    entry.sequence = record.sequence;
    entry.batch = settled.batch;
    entry.status = settled.http_status;
    entry.message = settled.reason;
    entry.request_id = settled.request_id;
    entry.attempts = settled.attempts;
    entry.value = record.value;
    entry.token = record.token;
    AppendErrorLogLine(entry, &lines);
  }
  return AppendLines(lines, settled.records.size());
}

Status ErrorLog::AppendLines(const std::string& lines, uint64_t count) {
  std::lock_guard lock(mutex_);
  SKYFLOW_RETURN_IF_ERROR(WriteDurably(lines));
  lines_written_ += count;
  return Status::Ok();
}

Result<uint64_t> TrimErrorLog(const std::string& path, uint64_t next_sequence) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return uint64_t{0};
  Result<std::unique_ptr<AtomicFile>> out = AtomicFile::Create(path, 0600);
  if (!out.ok()) return out.status();
  simdjson::dom::parser parser;
  uint64_t kept = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (in.eof()) break;  // no line break: torn by a crash
    simdjson::dom::element root;
    uint64_t sequence = 0;
    if (parser.parse(line).get(root) || root["sequence"].get(sequence)) {
      return Status::ParseError(path + ": line " + std::to_string(kept + 1) +
                                " is not an error-log line; the run directory was changed by "
                                "something other than the loader");
    }
    if (sequence >= next_sequence) continue;
    line.push_back('\n');
    SKYFLOW_RETURN_IF_ERROR((*out)->Append(line));
    ++kept;
  }
  if (in.bad()) return Status::IoError("cannot read error log " + path);
  SKYFLOW_RETURN_IF_ERROR((*out)->Commit());
  return kept;
}

}  // namespace skyflow
