// AtomicFile: writes a file so that readers, and a crash at any instant, see
// either its old content or the whole new one, never a mix: the content goes
// to "<path>.tmp", is synced, renamed over `path`, and the directory synced.
// Used for files rewritten as a whole: a compacted journal, a trimmed error
// log, a run's manifest.
//
// Not thread-safe: one writer per file.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>

#include "util/status.h"

namespace skyflow {

class AtomicFile {
 public:
  // Creates "<path>.tmp" (replacing a leftover one) with `mode`.
  static Result<std::unique_ptr<AtomicFile>> Create(const std::string& path, mode_t mode);

  // Removes the temporary file unless Commit succeeded.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  Status Append(std::string_view data);
  // Syncs, renames over the target and syncs its directory.
  Status Commit();

 private:
  AtomicFile(std::string path, int fd);

  const std::string path_;
  const std::string temporary_path_;
  int fd_;
  bool committed_ = false;
};

// Create + Append + Commit in one call.
Status WriteFileAtomically(const std::string& path, std::string_view content, mode_t mode);

// fsync of the directory holding `path`, so that a file created or renamed
// there survives a crash.
Status SyncParentDirectory(const std::string& path);

}  // namespace skyflow
