#include "emulator/store/journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "util/errno_text.h"

namespace skyflow::emulator {
namespace {

constexpr std::string_view kMagic = "skyflow-emulator-journal 1\n";
constexpr size_t kFrameHeader = 8;  // u32 size, u32 CRC

// kPut (no JournalPut per record) is only read: files written before kPuts.
enum class EntryKind : uint8_t { kPut = 1, kDelete = 2, kDeleteAll = 3, kReset = 4, kPuts = 5 };

constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t crc = i;
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320U : crc >> 1;
    table[i] = crc;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = MakeCrcTable();

// CRC-32 (IEEE): catches a torn or overwritten entry; not a security check.
uint32_t Crc32(std::string_view data) {
  uint32_t crc = 0xFFFFFFFFU;
  for (const char c : data)
    crc = kCrcTable[(crc ^ static_cast<uint8_t>(c)) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFU;
}

void PutU32(std::string* out, uint32_t value) {
  for (int i = 0; i < 4; ++i)
    out->push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

void PutString(std::string* out, std::string_view text) {
  PutU32(out, static_cast<uint32_t>(text.size()));
  out->append(text);
}

void PutUuid(std::string* out, const Uuid& id) {
  out->append(reinterpret_cast<const char*>(id.bytes.data()), id.bytes.size());
}

void PatchU32(std::string* out, size_t at, uint32_t value) {
  for (int i = 0; i < 4; ++i)
    (*out)[at + static_cast<size_t>(i)] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

uint32_t LoadU32(const char* data) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i)
    value |= static_cast<uint32_t>(static_cast<uint8_t>(data[i])) << (8 * i);
  return value;
}

// Reads a payload field by field; any overrun marks it malformed.
class PayloadReader {
 public:
  explicit PayloadReader(std::string_view payload) : rest_(payload) {}
  bool ok() const { return ok_; }
  bool done() const { return rest_.empty(); }

  uint8_t Byte() {
    if (!Need(1)) return 0;
    const auto value = static_cast<uint8_t>(rest_[0]);
    rest_.remove_prefix(1);
    return value;
  }
  uint32_t U32() {
    if (!Need(4)) return 0;
    const uint32_t value = LoadU32(rest_.data());
    rest_.remove_prefix(4);
    return value;
  }
  std::string_view String() {
    const uint32_t size = U32();
    if (!Need(size)) return {};
    const std::string_view text = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return text;
  }
  Uuid Id() {
    Uuid id;
    if (!Need(id.bytes.size())) return id;
    std::memcpy(id.bytes.data(), rest_.data(), id.bytes.size());
    rest_.remove_prefix(id.bytes.size());
    return id;
  }

 private:
  bool Need(size_t bytes) {
    if (rest_.size() < bytes) ok_ = false;
    return ok_;
  }
  std::string_view rest_;
  bool ok_ = true;
};

Status ApplyEntry(std::string_view payload, JournalVisitor* visitor) {
  PayloadReader reader(payload);
  const auto kind = static_cast<EntryKind>(reader.Byte());
  Status status;
  switch (kind) {
    case EntryKind::kPut:
    case EntryKind::kPuts: {
      const uint32_t records = reader.U32();
      std::vector<JournalField> fields;
      for (uint32_t r = 0; r < records && reader.ok() && status.ok(); ++r) {
        const std::string_view table = reader.String();
        const Uuid id = reader.Id();
        JournalPut put = JournalPut::kCreateOrUpdate;
        if (kind == EntryKind::kPuts) {
          const uint8_t code = reader.Byte();
          if (code < static_cast<uint8_t>(JournalPut::kCreate) ||
              code > static_cast<uint8_t>(JournalPut::kCreateOrUpdate)) {
            return Status::ParseError("unknown put kind " + std::to_string(code));
          }
          put = static_cast<JournalPut>(code);
        }
        const uint32_t count = reader.U32();
        fields.clear();
        for (uint32_t i = 0; i < count && reader.ok(); ++i) {
          JournalField field;
          field.column = reader.String();
          field.value = reader.String();
          field.token = reader.String();
          fields.push_back(field);
        }
        if (reader.ok()) status = visitor->OnPut(table, id, put, fields);
      }
      break;
    }
    case EntryKind::kDelete: {
      const std::string_view table = reader.String();
      const uint32_t count = reader.U32();
      std::vector<Uuid> ids;
      for (uint32_t i = 0; i < count && reader.ok(); ++i)
        ids.push_back(reader.Id());
      if (reader.ok() && reader.done()) status = visitor->OnDelete(table, ids);
      break;
    }
    case EntryKind::kDeleteAll: {
      const std::string_view table = reader.String();
      if (reader.ok() && reader.done()) status = visitor->OnDeleteAll(table);
      break;
    }
    case EntryKind::kReset:
      if (reader.ok() && reader.done()) status = visitor->OnReset();
      break;
    default:
      return Status::ParseError("unknown entry kind " + std::to_string(static_cast<int>(kind)) +
                                " (written by a newer emulator? open the file with that one)");
  }
  if (!reader.ok() || !reader.done()) return Status::ParseError("malformed entry");
  return status;
}

Status ReadAll(int fd, const std::string& path, std::string* out) {
  char buffer[1 << 16];
  for (;;) {
    const ssize_t count = ::read(fd, buffer, sizeof(buffer));
    if (count < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(path + ": cannot read: " + ErrnoText(errno));
    }
    if (count == 0) return Status::Ok();
    out->append(buffer, static_cast<size_t>(count));
  }
}

// A new file's directory entry is durable only once the directory is synced.
Status SyncParentDirectory(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string directory = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(directory + ": cannot open: " + ErrnoText(errno));
  const bool synced = ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!synced) return Status::IoError(directory + ": fsync: " + ErrnoText(error));
  return Status::Ok();
}

Status WriteAll(int fd, const std::string& path, std::string_view data) {
  while (!data.empty()) {
    const ssize_t count = ::write(fd, data.data(), data.size());
    if (count < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(path + ": cannot write: " + ErrnoText(errno));
    }
    data.remove_prefix(static_cast<size_t>(count));
  }
  return Status::Ok();
}

}  // namespace

void JournalPuts::Clear() {
  payload_.clear();
  records_ = 0;
  fields_ = 0;
}

void JournalPuts::BeginRecord(std::string_view table, const Uuid& id, JournalPut put) {
  ++records_;
  PutString(&payload_, table);
  PutUuid(&payload_, id);
  payload_.push_back(static_cast<char>(put));
  field_count_at_ = payload_.size();
  fields_ = 0;
  PutU32(&payload_, 0);
}

void JournalPuts::AddField(std::string_view column, std::string_view value,
                           std::string_view token) {
  ++fields_;
  PatchU32(&payload_, field_count_at_, fields_);
  PutString(&payload_, column);
  PutString(&payload_, value);
  PutString(&payload_, token);
}

Result<std::unique_ptr<Journal>> Journal::Open(const std::string& path, JournalVisitor* visitor,
                                               JournalReplayStats* stats) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IoError(path + ": cannot open: " + ErrnoText(errno));
  std::unique_ptr<Journal> journal(new Journal(fd, path));  // closes fd on every error path
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    return Status::InvalidArgument(path + " is not a regular file; --data-file needs a file");
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    return Status::IoError(path +
                           " is in use by another emulator (locked); give each its own "
                           "--data-file");
  }

  std::string content;
  SKYFLOW_RETURN_IF_ERROR(ReadAll(fd, path, &content));
  size_t good_end = 0;
  if (content.empty()) {
    SKYFLOW_RETURN_IF_ERROR(WriteAll(fd, path, kMagic));
    if (::fdatasync(fd) != 0) return Status::IoError(path + ": fdatasync: " + ErrnoText(errno));
    SKYFLOW_RETURN_IF_ERROR(SyncParentDirectory(path));
    good_end = kMagic.size();
  } else {
    SKYFLOW_RETURN_IF_ERROR(journal->Replay(content, visitor, stats, &good_end));
    if (good_end < content.size()) {
      stats->dropped_bytes = content.size() - good_end;
      if (::ftruncate(fd, static_cast<off_t>(good_end)) != 0 || ::fdatasync(fd) != 0) {
        return Status::IoError(path + ": cannot truncate a torn tail: " + ErrnoText(errno));
      }
    }
  }
  if (::lseek(fd, static_cast<off_t>(good_end), SEEK_SET) < 0) {
    return Status::IoError(path + ": lseek: " + ErrnoText(errno));
  }
  return journal;
}

Status Journal::Replay(std::string_view content, JournalVisitor* visitor, JournalReplayStats* stats,
                       size_t* good_end) {
  if (content.substr(0, kMagic.size()) != kMagic) {
    return Status::InvalidArgument(path_ +
                                   " is not an emulator data file (wrong first line); give "
                                   "--data-file a new file name or one the emulator wrote");
  }
  size_t offset = kMagic.size();
  while (offset + kFrameHeader <= content.size()) {
    const uint32_t size = LoadU32(content.data() + offset);
    const uint32_t crc = LoadU32(content.data() + offset + 4);
    const size_t end = offset + kFrameHeader + size;
    if (end > content.size()) break;  // torn tail: the last append never completed
    const std::string_view payload = content.substr(offset + kFrameHeader, size);
    if (Crc32(payload) != crc) {
      // Only the last entry can be torn by a crash; one further in was
      // acknowledged data damaged afterwards.
      if (end == content.size()) break;
      return Status::InvalidArgument(
          path_ + ": the entry at byte " + std::to_string(offset) +
          " is corrupt and acknowledged entries follow it; refusing to drop them. Move the "
          "file aside to start empty");
    }
    if (Status status = ApplyEntry(payload, visitor); !status.ok()) {
      return Status(status.code(),
                    path_ + ": entry at byte " + std::to_string(offset) + ": " + status.message());
    }
    ++stats->entries;
    offset = end;
  }
  *good_end = offset;
  return Status::Ok();
}

Journal::~Journal() {
  // Entries appended but never waited for were never acknowledged; writing
  // them anyway keeps what can be kept.
  if (failure_.ok() && !pending_.empty() && WriteAll(fd_, path_, pending_).ok()) ::fdatasync(fd_);
  ::close(fd_);
}

uint64_t Journal::Seal(size_t entry_start) {
  // The frame header was reserved; fill it in now that the payload is known.
  const std::string_view payload = std::string_view(pending_).substr(entry_start + kFrameHeader);
  std::string header;
  PutU32(&header, static_cast<uint32_t>(payload.size()));
  PutU32(&header, Crc32(payload));
  pending_.replace(entry_start, kFrameHeader, header);
  return ++appended_;
}

template <typename WritePayload>
uint64_t Journal::Append(uint8_t kind, WritePayload write_payload) {
  std::lock_guard lock(mutex_);
  // After a failure nothing is acknowledged any more: buffering would only
  // grow memory.
  if (!failure_.ok()) return ++appended_;
  const size_t start = pending_.size();
  pending_.append(kFrameHeader, '\0');
  pending_.push_back(static_cast<char>(kind));
  write_payload(&pending_);
  return Seal(start);
}

uint64_t Journal::AppendPuts(const JournalPuts& puts) {
  return Append(static_cast<uint8_t>(EntryKind::kPuts), [&](std::string* out) {
    PutU32(out, puts.records_);
    out->append(puts.payload_);
  });
}

uint64_t Journal::AppendDelete(std::string_view table, const std::vector<Uuid>& ids) {
  return Append(static_cast<uint8_t>(EntryKind::kDelete), [&](std::string* out) {
    PutString(out, table);
    PutU32(out, static_cast<uint32_t>(ids.size()));
    for (const Uuid& id : ids)
      PutUuid(out, id);
  });
}

uint64_t Journal::AppendDeleteAll(std::string_view table) {
  return Append(static_cast<uint8_t>(EntryKind::kDeleteAll),
                [&](std::string* out) { PutString(out, table); });
}

uint64_t Journal::AppendReset() {
  return Append(static_cast<uint8_t>(EntryKind::kReset), [](std::string*) {});
}

Status Journal::WaitDurable(uint64_t sequence) {
  std::unique_lock lock(mutex_);
  std::string batch;
  for (;;) {
    if (!failure_.ok()) return failure_;
    if (durable_ >= sequence) return Status::Ok();
    if (sync_in_progress_) {
      synced_.wait(lock);
      continue;
    }
    // Leader: write and sync everything appended so far, for every waiter.
    sync_in_progress_ = true;
    batch.swap(pending_);
    const uint64_t covered = appended_;
    lock.unlock();
    Status status = WriteAll(fd_, path_, batch);
    if (status.ok() && ::fdatasync(fd_) != 0) {
      status = Status::IoError(path_ + ": fdatasync: " + ErrnoText(errno));
    }
    batch.clear();
    lock.lock();
    sync_in_progress_ = false;
    if (status.ok()) {
      durable_ = covered;
    } else {
      failure_ = status;
      pending_.clear();
      healthy_.store(false, std::memory_order_release);
    }
    synced_.notify_all();
  }
}

}  // namespace skyflow::emulator
