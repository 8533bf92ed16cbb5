// CheckpointJournal: one vault's checkpoints, appended to a file so that the
// last one survives any crash.
//
// Format: one line per checkpoint, "<crc32 of the JSON, 8 hex digits> <JSON>",
//   {"next_sequence":N,"cursor":"...","batches":B,"loaded":..,
//    "already_present":..,"conflicts":..,"failed":..,"rejected":..}
// Each Append is written and fdatasync'ed before it returns (callers group
// their checkpoints: one per interval, not one per batch). The file is
// compacted when it outgrows kCompactBytes: the latest line alone is written
// to a temporary file, synced and renamed over the journal, so that the
// journal is whole at every instant and its size stays bounded.
//
// A crash can leave a torn last line; Read ignores it (the checkpoint before
// is the last one that was durable) and Open cuts it off. Damage anywhere
// else means the file was changed by something other than the loader: an
// error, never a guess.
//
// Not thread-safe: one writer thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "pipeline/checkpoint.h"
#include "util/status.h"

namespace skyflow {

class CheckpointJournal {
 public:
  static constexpr uint64_t kCompactBytes = 64 * 1024;

  // The last intact checkpoint in the journal at `path`; nullopt when the
  // file does not exist or holds none.
  static Result<std::optional<Checkpoint>> Read(const std::string& path);

  // Opens (creating it, mode 0600) the journal for appending, after cutting
  // off a torn last line.
  static Result<std::unique_ptr<CheckpointJournal>> Open(const std::string& path);

  ~CheckpointJournal();
  CheckpointJournal(const CheckpointJournal&) = delete;
  CheckpointJournal& operator=(const CheckpointJournal&) = delete;

  Status Append(const Checkpoint& checkpoint);

  const std::string& path() const { return path_; }

 private:
  CheckpointJournal(std::string path, int fd, uint64_t size);
  Status Compact(const std::string& line);

  const std::string path_;
  int fd_;
  uint64_t size_;
};

// The journal line for `checkpoint`, '\n' included (exposed for tests).
std::string EncodeCheckpointLine(const Checkpoint& checkpoint);

}  // namespace skyflow
