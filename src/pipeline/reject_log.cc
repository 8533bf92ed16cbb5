#include "pipeline/reject_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "util/json_writer.h"
#include "util/utf8.h"
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

// JSON holds only UTF-8: text that is not (the very reason some rows are
// rejected) is written with U+FFFD for each bad byte, and its exact bytes
// in hex under "<key>_hex", so that nothing is lost and the line still parses.
void TextField(JsonWriter& json, std::string_view key, std::string_view text) {
  if (!FindInvalidUtf8(text)) {
    json.Field(key, text);
    return;
  }
  std::string readable;
  std::string_view rest = text;
  while (std::optional<size_t> bad = FindInvalidUtf8(rest)) {
    readable.append(rest.substr(0, *bad));
    readable.append("\xEF\xBF\xBD");
    rest.remove_prefix(*bad + 1);
  }
  readable.append(rest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (char c : text) {
    hex.push_back(kHex[static_cast<unsigned char>(c) >> 4]);
    hex.push_back(kHex[static_cast<unsigned char>(c) & 0xF]);
  }
  json.Field(key, readable).Field(std::string(key) + "_hex", hex);
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
        .Field("reason", row.reason);
    TextField(json, "value", row.value);
    TextField(json, "token", row.token);
    json.EndObject();
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
        .Field("reason", settled.reason);
    TextField(json, "value", record.value);
    TextField(json, "token", record.token);
    json.Field("outcome", RecordFateName(settled.fate))
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
