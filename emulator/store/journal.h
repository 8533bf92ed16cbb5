// Journal: the emulator's optional persistence (--data-file): an append-only
// log of what the store committed, replayed at startup, so that restarting
// the emulator is a fault tests can apply without losing anything it
// acknowledged.
//
// Durability contract: an answer that reports a write is sent only after
// WaitDurable(sequence) returned for its entries, i.e. after fdatasync.
// Writers append under the lock of the table they change (so a table's
// entries are in commit order), then wait outside it; concurrent waiters
// share one fdatasync (group commit): the first becomes the leader and
// writes everything appended so far, the others wait for it.
//
// Format: the magic line "skyflow-emulator-journal 1\n", then entries, each
//   u32 payload size, u32 CRC-32 of the payload, payload
// (little-endian); payload: u8 kind, then per kind
//   kPuts:      u32 r, r x (str table, 16-byte skyflow_id, u8 JournalPut,
//                           u32 n, n x (str column, str value, str token))
//   kPut:       as kPuts without the u8 (written before it existed; replayed
//               as kCreateOrUpdate)
//   kDelete:    str table, u32 n, n x 16-byte skyflow_id
//   kDeleteAll: str table
//   kReset:     (nothing)
// with str = u32 size + bytes. A put entry holds every record one request
// wrote, across tables, so a request is on disk whole or not at all (the
// API's all-or-nothing survives a crash). Each record carries its new state
// for the fields written, and whether the request created the record or
// updated a stored one: replay creates or overwrites, and refuses a
// "create" whose skyflow_id a live record already has (two records behind
// one id: merging them would silently lose one). Replay stops at the first torn or corrupt entry (a
// crash mid-append), truncates the file there and says how much it dropped:
// such an entry was never acknowledged. A corrupt entry before the last
// one is not a crash's doing: Open refuses the file rather than drop the
// acknowledged entries after it. The file is locked (flock) while open, so
// two emulators cannot share it.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/common/uuid.h"
#include "util/status.h"

namespace skyflow::emulator {

// What a put does to its record.
enum class JournalPut : uint8_t {
  kCreate = 1,  // the request created the record
  kUpdate = 2,  // the request changed a stored record (an upsert)
  // Either: entries written before the distinction was recorded.
  kCreateOrUpdate = 3,
};

struct JournalField {
  std::string_view column;
  std::string_view value;
  std::string_view token;
};

// The records one request wrote, built under the tables' locks and appended
// as one entry (Journal::AppendPuts). Reusable.
class JournalPuts {
 public:
  void Clear();
  void BeginRecord(std::string_view table, const Uuid& id, JournalPut put);
  void AddField(std::string_view column, std::string_view value, std::string_view token);
  bool empty() const { return records_ == 0; }

 private:
  friend class Journal;
  std::string payload_;  // the records, as in the entry after its count
  uint32_t records_ = 0;
  size_t field_count_at_ = 0;  // where the current record's field count goes
  uint32_t fields_ = 0;
};

// What replay hands back, entry by entry, in file order.
class JournalVisitor {
 public:
  virtual ~JournalVisitor() = default;
  virtual Status OnPut(std::string_view table, const Uuid& id, JournalPut put,
                       const std::vector<JournalField>& fields) = 0;
  virtual Status OnDelete(std::string_view table, const std::vector<Uuid>& ids) = 0;
  virtual Status OnDeleteAll(std::string_view table) = 0;
  virtual Status OnReset() = 0;
};

struct JournalReplayStats {
  uint64_t entries = 0;
  uint64_t dropped_bytes = 0;  // a torn tail, truncated away
};

class Journal {
 public:
  // Opens (creating it, mode 0600) and replays `path` into `visitor`
  // before returning; appends go after the last good entry.
  static Result<std::unique_ptr<Journal>> Open(const std::string& path, JournalVisitor* visitor,
                                               JournalReplayStats* stats);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Each returns the entry's sequence number, for WaitDurable. They only
  // buffer: no I/O.
  uint64_t AppendPuts(const JournalPuts& puts);
  uint64_t AppendDelete(std::string_view table, const std::vector<Uuid>& ids);
  uint64_t AppendDeleteAll(std::string_view table);
  uint64_t AppendReset();

  // False once a write or sync failed: nothing more may be acknowledged, so
  // writers refuse before changing anything.
  bool healthy() const { return healthy_.load(std::memory_order_acquire); }

  // The sequence number of the last entry appended.
  uint64_t last_sequence() {
    std::lock_guard lock(mutex_);
    return appended_;
  }

  // Returns once every entry up to `sequence` is on disk (fdatasync), or
  // the error that prevented it (the journal then refuses further waits:
  // an emulator that cannot persist must not acknowledge).
  Status WaitDurable(uint64_t sequence);

 private:
  Journal(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  Status Replay(std::string_view content, JournalVisitor* visitor, JournalReplayStats* stats,
                size_t* good_end);
  // Appends one entry of `kind` whose payload `write_payload(std::string*)`
  // writes; returns its sequence number.
  template <typename WritePayload>
  uint64_t Append(uint8_t kind, WritePayload write_payload);
  uint64_t Seal(size_t entry_start);  // frames the entry begun at entry_start

  const int fd_;
  const std::string path_;
  std::mutex mutex_;
  std::condition_variable synced_;
  std::string pending_;  // framed entries not yet written
  uint64_t appended_ = 0;
  uint64_t durable_ = 0;
  bool sync_in_progress_ = false;
  Status failure_;
  std::atomic<bool> healthy_{true};
};

}  // namespace skyflow::emulator
