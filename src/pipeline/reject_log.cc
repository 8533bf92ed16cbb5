#include "pipeline/reject_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "util/json_writer.h"
#include "util/write_all.h"

namespace skyflow {
namespace {

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

}  // namespace

RejectLog::RejectLog(std::string path) : path_(std::move(path)) {}

RejectLog::~RejectLog() {
  if (fd_ >= 0) ::close(fd_);
}

uint64_t RejectLog::lines_written() const {
  std::lock_guard lock(mutex_);
  return lines_written_;
}

Status RejectLog::WriteDurably(const std::string& lines) {
  // Caller holds mutex_.
  if (fd_ < 0) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      return Status::IoError("cannot create rejects file " + path_ + ": " + std::strerror(errno) +
                             "; choose another place with -rejects-file");
    }
  }
  SKYFLOW_RETURN_IF_ERROR(WriteAll(fd_, lines, "rejects file " + path_));
  if (::fdatasync(fd_) != 0) {
    return Status::IoError("cannot sync rejects file " + path_ + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Status RejectLog::AppendSourceRejects(const std::string& vault,
                                      const std::vector<RejectedRow>& rows) {
  if (rows.empty()) return Status::Ok();
  const std::string time = UtcNow();
  std::string lines;
  for (const RejectedRow& row : rows) {
    JsonWriter json(&lines);
    json.BeginObject()
        .Field("time", time)
        .Field("vault", vault)
        .Field("stage", "source")
        .Field("origin", row.origin)
        .Field("sequence", row.sequence)
        .Field("reason", row.reason)
        .Field("value", row.value)
        .Field("token", row.token)
        .EndObject();
    lines.push_back('\n');
  }
  std::lock_guard lock(mutex_);
  SKYFLOW_RETURN_IF_ERROR(WriteDurably(lines));
  lines_written_ += rows.size();
  return Status::Ok();
}

Status RejectLog::AppendVaultFailure(const std::string& vault, const std::string& origin_label,
                                     const SettledRecords& settled) {
  if (settled.records.empty()) return Status::Ok();
  const std::string time = UtcNow();
  std::string lines;
  for (const Record& record : settled.records) {
    JsonWriter json(&lines);
    json.BeginObject()
        .Field("time", time)
        .Field("vault", vault)
        .Field("stage", "vault")
        .Field("origin", FormatOrigin(origin_label, record.origin_line))
        .Field("sequence", record.sequence)
        .Field("reason", settled.reason)
        .Field("value", record.value)
        .Field("token", record.token)
        .Field("outcome", RecordFateName(settled.fate))
        .Field("batch", settled.batch)
        .Field("http_status", static_cast<int64_t>(settled.http_status))
        .Field("request_id", settled.request_id)
        .Field("attempts", settled.attempts)
        .EndObject();
    lines.push_back('\n');
  }
  std::lock_guard lock(mutex_);
  SKYFLOW_RETURN_IF_ERROR(WriteDurably(lines));
  lines_written_ += settled.records.size();
  return Status::Ok();
}

}  // namespace skyflow
