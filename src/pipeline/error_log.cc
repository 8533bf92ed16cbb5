#include "pipeline/error_log.h"

#include <fcntl.h>
#include <simdjson.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>

#include "util/atomic_file.h"
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
      return Status::IoError("cannot create error log " + path_ + ": " + std::strerror(errno) +
                             "; choose another place with -run-dir");
    }
    SKYFLOW_RETURN_IF_ERROR(SyncParentDirectory(path_));
  }
  SKYFLOW_RETURN_IF_ERROR(WriteAll(fd_, lines, "error log " + path_));
  if (::fdatasync(fd_) != 0) {
    return Status::IoError("cannot sync error log " + path_ + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

void ErrorLog::BeginLine(JsonWriter& json, const std::string& time, const char* stage,
                         const char* outcome) const {
  json.BeginObject()
      .Field("time", time)
      .Field("vault", vault_.name)
      .Field("vault_id", vault_.id)
      .Field("table", vault_.table)
      .Field("column", vault_.column)
      .Field("stage", stage)
      .Field("outcome", outcome);
}

Status ErrorLog::AppendSourceRejects(const std::vector<RejectedRow>& rows) {
  if (rows.empty()) return Status::Ok();
  const std::string time = UtcNow();
  std::string lines;
  for (const RejectedRow& row : rows) {
    JsonWriter json(&lines);
    BeginLine(json, time, "source", "rejected");
    json.Field("origin", row.origin)
        .Field("sequence", row.sequence)
        .Field("batch", uint64_t{0})
        .Field("status", int64_t{0})
        .Field("message", row.reason)
        .Field("request_id", "")
        .Field("attempts", 0);
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

Status ErrorLog::AppendVaultFailure(const SettledRecords& settled) {
  if (settled.records.empty()) return Status::Ok();
  const std::string time = UtcNow();
  std::string lines;
  for (const Record& record : settled.records) {
    JsonWriter json(&lines);
    BeginLine(json, time, "vault", RecordFateName(settled.fate));
    json.Field("origin", FormatOrigin(vault_.origin_label, record.origin_line))
        .Field("sequence", record.sequence)
        .Field("batch", settled.batch)
        .Field("status", static_cast<int64_t>(settled.http_status))
        .Field("message", settled.reason)
        .Field("request_id", settled.request_id)
        .Field("attempts", settled.attempts);
    TextField(json, "value", record.value);
    TextField(json, "token", record.token);
    json.EndObject();
    lines.push_back('\n');
  }
  std::lock_guard lock(mutex_);
  SKYFLOW_RETURN_IF_ERROR(WriteDurably(lines));
  lines_written_ += settled.records.size();
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
