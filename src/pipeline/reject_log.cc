#include "pipeline/reject_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "util/json_writer.h"

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
  size_t written = 0;
  while (written < lines.size()) {
    const ssize_t n = ::write(fd_, lines.data() + written, lines.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError("cannot write rejects file " + path_ + ": " + std::strerror(errno));
    }
    written += static_cast<size_t>(n);
  }
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

Status RejectLog::AppendVaultFailure(const std::string& vault, const std::vector<Record>& records,
                                     const std::vector<std::string>& origins,
                                     const std::string& reason, const VaultFailure& failure) {
  if (records.empty()) return Status::Ok();
  const std::string time = UtcNow();
  std::string lines;
  for (size_t i = 0; i < records.size(); ++i) {
    const Record& record = records[i];
    JsonWriter json(&lines);
    json.BeginObject()
        .Field("time", time)
        .Field("vault", vault)
        .Field("stage", "vault")
        .Field("origin", i < origins.size() ? origins[i] : std::string())
        .Field("sequence", record.sequence)
        .Field("reason", reason)
        .Field("value", record.value)
        .Field("token", record.token)
        .Field("batch", failure.batch)
        .Field("http_status", static_cast<int64_t>(failure.http_status))
        .Field("request_id", failure.request_id)
        .Field("attempts", failure.attempts)
        .EndObject();
    lines.push_back('\n');
  }
  std::lock_guard lock(mutex_);
  SKYFLOW_RETURN_IF_ERROR(WriteDurably(lines));
  lines_written_ += records.size();
  return Status::Ok();
}

}  // namespace skyflow
