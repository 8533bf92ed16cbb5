#include "pipeline/checkpoint_journal.h"

#include <fcntl.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "util/atomic_file.h"
#include "util/errno_text.h"
#include "util/json_writer.h"
#include "util/small_file.h"
#include "util/write_all.h"

namespace skyflow {
namespace {

// Far above what compaction lets a journal grow to: a larger file is not one.
constexpr size_t kMaxJournalBytes = 16 * 1024 * 1024;
constexpr size_t kCrcDigits = 8;

std::string Crc32Hex(std::string_view text) {
  const uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(text.data()),
                          static_cast<uInt>(text.size()));
  char hex[kCrcDigits + 1];
  std::snprintf(hex, sizeof(hex), "%08lx", crc & 0xffffffffUL);
  return hex;
}

// The checkpoint on one line (without its '\n'), or nullopt when the line is
// not intact.
std::optional<Checkpoint> DecodeLine(std::string_view line) {
  if (line.size() < kCrcDigits + 2 || line[kCrcDigits] != ' ') return std::nullopt;
  const std::string_view json = line.substr(kCrcDigits + 1);
  if (Crc32Hex(json) != line.substr(0, kCrcDigits)) return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root)) return std::nullopt;
  Checkpoint checkpoint;
  std::string_view cursor;
  const bool bad = root["next_sequence"].get(checkpoint.next_sequence) ||
                   root["cursor"].get(cursor) || root["batches"].get(checkpoint.batches) ||
                   root["loaded"].get(checkpoint.tally.loaded) ||
                   root["already_present"].get(checkpoint.tally.already_present) ||
                   root["conflicts"].get(checkpoint.tally.conflicts) ||
                   root["failed"].get(checkpoint.tally.failed) ||
                   root["rejected"].get(checkpoint.tally.rejected);
  if (bad) return std::nullopt;
  checkpoint.cursor = std::string(cursor);
  return checkpoint;
}

struct Scan {
  std::optional<Checkpoint> last;
  uint64_t intact_bytes = 0;  // up to the end of the last intact line
};

Result<Scan> ScanJournal(const std::string& path, const std::string& content) {
  Scan scan;
  size_t start = 0;
  uint64_t line_number = 0;
  while (start < content.size()) {
    ++line_number;
    const size_t end = content.find('\n', start);
    const bool last_line = end == std::string::npos || end + 1 == content.size();
    std::optional<Checkpoint> checkpoint =
        end == std::string::npos ? std::nullopt
                                 : DecodeLine(std::string_view(content).substr(start, end - start));
    if (!checkpoint) {
      // A line cut short by a crash can only be the last one.
      if (last_line) break;
      return Status::ParseError(path + ":" + std::to_string(line_number) +
                                ": damaged checkpoint (the file was changed by something other "
                                "than the loader); remove the run directory's journal to load "
                                "this vault again from the start");
    }
    scan.last = std::move(checkpoint);
    scan.intact_bytes = end + 1;
    start = end + 1;
  }
  return scan;
}

Status SystemError(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + ErrnoText(errno));
}

}  // namespace

std::string EncodeCheckpointLine(const Checkpoint& checkpoint) {
  std::string json;
  JsonWriter writer(&json);
  writer.BeginObject()
      .Field("next_sequence", checkpoint.next_sequence)
      .Field("cursor", checkpoint.cursor)
      .Field("batches", checkpoint.batches)
      .Field("loaded", checkpoint.tally.loaded)
      .Field("already_present", checkpoint.tally.already_present)
      .Field("conflicts", checkpoint.tally.conflicts)
      .Field("failed", checkpoint.tally.failed)
      .Field("rejected", checkpoint.tally.rejected)
      .EndObject();
  return Crc32Hex(json) + " " + json + "\n";
}

Result<std::optional<Checkpoint>> CheckpointJournal::Read(const std::string& path) {
  Result<std::string> content = ReadSmallFile(path, kMaxJournalBytes);
  if (!content.ok()) {
    if (content.status().code() == StatusCode::kNotFound) return std::optional<Checkpoint>();
    return content.status();
  }
  Result<Scan> scan = ScanJournal(path, *content);
  if (!scan.ok()) return scan.status();
  return std::move(scan->last);
}

Result<std::unique_ptr<CheckpointJournal>> CheckpointJournal::Open(const std::string& path) {
  uint64_t size = 0;
  Result<std::string> content = ReadSmallFile(path, kMaxJournalBytes);
  if (content.ok()) {
    Result<Scan> scan = ScanJournal(path, *content);
    if (!scan.ok()) return scan.status();
    size = scan->intact_bytes;
  } else if (content.status().code() != StatusCode::kNotFound) {
    return content.status();
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return SystemError("cannot open checkpoint journal", path);
  if (::ftruncate(fd, static_cast<off_t>(size)) != 0 ||
      ::lseek(fd, static_cast<off_t>(size), SEEK_SET) < 0) {
    Status error = SystemError("cannot prepare checkpoint journal", path);
    ::close(fd);
    return error;
  }
  if (size == 0) SKYFLOW_RETURN_IF_ERROR(SyncParentDirectory(path));
  return std::unique_ptr<CheckpointJournal>(new CheckpointJournal(path, fd, size));
}

CheckpointJournal::CheckpointJournal(std::string path, int fd, uint64_t size)
    : path_(std::move(path)), fd_(fd), size_(size) {}

CheckpointJournal::~CheckpointJournal() {
  if (fd_ >= 0) ::close(fd_);
}

Status CheckpointJournal::Append(const Checkpoint& checkpoint) {
  const std::string line = EncodeCheckpointLine(checkpoint);
  if (size_ + line.size() > kCompactBytes) return Compact(line);
  SKYFLOW_RETURN_IF_ERROR(WriteAll(fd_, line, path_));
  if (::fdatasync(fd_) != 0) return SystemError("cannot sync checkpoint journal", path_);
  size_ += line.size();
  return Status::Ok();
}

Status CheckpointJournal::Compact(const std::string& line) {
  SKYFLOW_RETURN_IF_ERROR(WriteFileAtomically(path_, line, 0600));
  const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return SystemError("cannot reopen checkpoint journal", path_);
  ::close(fd_);
  fd_ = fd;
  size_ = line.size();
  return Status::Ok();
}

}  // namespace skyflow
