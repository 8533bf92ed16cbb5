#include "error_log/go_error_log_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <tuple>

#include "error_log/error_log_reader.h"
#include "util/ascii.h"
#include "util/errno_text.h"
#include "util/json_writer.h"
#include "util/rfc3339.h"
#include "util/utf8.h"
#include "util/write_all.h"

namespace skyflow {
namespace {

constexpr size_t kFlushBytes = size_t{1} << 20;

std::string Quoted(std::string_view text) {
  return FindInvalidUtf8(text) ? JsonQuote(ReplaceInvalidUtf8(text)) : JsonQuote(text);
}

// Calls `visit` with every vault failure of `vault` in the log, in order.
template <typename Visit>
Status ForEachFailure(const std::string& jsonl_path, std::string_view vault,
                      GoErrorLogResult* counts, Visit visit) {
  Result<std::unique_ptr<ErrorLogReader>> reader = ErrorLogReader::Open(jsonl_path);
  if (!reader.ok()) return reader.status();
  std::string first_vault;
  ErrorLogEntry entry;
  uint64_t line = 0;
  for (;;) {
    Result<bool> more = (*reader)->Next(&entry, &line);
    if (!more.ok()) return more.status();
    if (!*more) return Status::Ok();
    if (!vault.empty()) {
      if (!EqualsIgnoreCase(entry.vault, vault)) continue;
    } else if (first_vault.empty()) {
      first_vault = entry.vault;
    } else if (entry.vault != first_vault) {
      return Status::InvalidArgument("error log " + jsonl_path + ":" + std::to_string(line) +
                                     " is of vault " + entry.vault + " where the log began with " +
                                     first_vault +
                                     ": a Go error log holds one vault; name the vault to convert");
    }
    if (entry.stage == ErrorLogStage::kSource) {
      ++counts->source_rejects;
      continue;
    }
    SKYFLOW_RETURN_IF_ERROR(visit(entry));
  }
}

using Group = std::tuple<uint64_t, int64_t, std::string>;

Group GroupOf(const ErrorLogEntry& entry) {
  return {entry.batch, entry.status, entry.message};
}

class TempFile {
 public:
  explicit TempFile(std::string final_path)
      : final_path_(std::move(final_path)), path_(final_path_ + ".tmp") {}
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!renamed_) ::unlink(path_.c_str());
  }

  Status Create() {
    ::unlink(path_.c_str());
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      return Status::IoError("cannot create Go error log " + path_ + ": " + ErrnoText(errno));
    }
    return Status::Ok();
  }
  Status Write(std::string* buffer) {
    SKYFLOW_RETURN_IF_ERROR(WriteAll(fd_, *buffer, path_));
    buffer->clear();
    return Status::Ok();
  }
  Status Commit() {
    if (::fsync(fd_) != 0) {
      return Status::IoError("cannot sync Go error log " + path_ + ": " + ErrnoText(errno));
    }
    ::close(fd_);
    fd_ = -1;
    if (::rename(path_.c_str(), final_path_.c_str()) != 0) {
      return Status::IoError("cannot rename " + path_ + " to " + final_path_ + ": " +
                             ErrnoText(errno));
    }
    renamed_ = true;
    return Status::Ok();
  }

 private:
  const std::string final_path_;
  const std::string path_;
  int fd_ = -1;
  bool renamed_ = false;
};

}  // namespace

Result<GoErrorLogResult> WriteGoErrorLog(const std::string& jsonl_path,
                                         const std::string& json_path,
                                         const GoErrorLogVault& vault) {
  GoErrorLogResult result;
  if (::access(jsonl_path.c_str(), F_OK) != 0 && errno == ENOENT) return result;

  // Pass 1: the counts and the header fields.
  std::string vault_name;
  std::string vault_id;
  std::string column;
  std::optional<Group> last;
  SKYFLOW_RETURN_IF_ERROR(
      ForEachFailure(jsonl_path, vault.name, &result, [&](const ErrorLogEntry& e) {
        if (result.records == 0) {
          vault_name = e.vault;
          vault_id = e.vault_id.empty() ? vault.id : e.vault_id;
          column = e.column.empty() ? vault.column : e.column;
        }
        ++result.records;
        Group group = GroupOf(e);
        if (!last.has_value() || *last != group) {
          ++result.errors;
          last = std::move(group);
        }
        return Status::Ok();
      }));
  if (result.records == 0) return result;

  // Pass 2: the document.
  TempFile file(json_path);
  SKYFLOW_RETURN_IF_ERROR(file.Create());
  std::string out;
  out += "{\n";
  out += "  \"vault_name\": " + Quoted(vault_name) + ",\n";
  out += "  \"vault_id\": " + Quoted(vault_id) + ",\n";
  out += "  \"column\": " + Quoted(column) + ",\n";
  out += "  \"timestamp\": " + Quoted(FormatRfc3339Utc(std::time(nullptr))) + ",\n";
  out += "  \"total_errors\": " + std::to_string(result.errors) + ",\n";
  out += "  \"failed_records\": " + std::to_string(result.records) + ",\n";
  out += "  \"errors\": [";
  GoErrorLogResult again;
  last.reset();
  std::string closing;  // what ends the open errors[] element
  SKYFLOW_RETURN_IF_ERROR(
      ForEachFailure(jsonl_path, vault.name, &again, [&](const ErrorLogEntry& e) {
        Group group = GroupOf(e);
        if (!last.has_value() || *last != group) {
          if (last.has_value()) out += closing + ",";
          out += "\n    {\n      \"batch_number\": " + std::to_string(e.batch) +
                 ",\n      \"records\": [";
          closing = "\n      ],\n      \"error\": " + Quoted(e.message) + ",\n";
          if (e.status != 0)
            closing += "      \"status_code\": " + std::to_string(e.status) + ",\n";
          closing += "      \"timestamp\": " + Quoted(e.time) + "\n    }";
          last = std::move(group);
        } else {
          out += ",";
        }
        out += "\n        {\n          \"Value\": " + Quoted(e.value) +
               ",\n          \"Token\": " + Quoted(e.token) + "\n        }";
        if (out.size() >= kFlushBytes) return file.Write(&out);
        return Status::Ok();
      }));
  if (again.source_rejects != result.source_rejects) {
    return Status::Internal("error log " + jsonl_path + " changed while it was converted");
  }
  out += closing + "\n  ]\n}\n";
  SKYFLOW_RETURN_IF_ERROR(file.Write(&out));
  SKYFLOW_RETURN_IF_ERROR(file.Commit());
  result.written = true;
  return result;
}

std::string GoErrorLogFileName(std::string_view vault, const std::tm& local_time) {
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y%m%d_%H%M%S", &local_time);
  std::string name = "error_log_";
  for (const char c : vault)
    name.push_back(c == '/' ? '_' : c);
  return name + "_" + stamp + ".json";
}

}  // namespace skyflow
