#include "util/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "util/errno_text.h"
#include "util/write_all.h"

namespace skyflow {
namespace {

Status SystemError(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + ErrnoText(errno));
}

}  // namespace

Result<std::unique_ptr<AtomicFile>> AtomicFile::Create(const std::string& path, mode_t mode) {
  const std::string temporary = path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return SystemError("cannot create", temporary);
  // An existing file keeps its old mode through O_CREAT: set it.
  if (::fchmod(fd, mode) != 0) {
    Status error = SystemError("cannot set the mode of", temporary);
    ::close(fd);
    return error;
  }
  return std::unique_ptr<AtomicFile>(new AtomicFile(path, fd));
}

AtomicFile::AtomicFile(std::string path, int fd)
    : path_(std::move(path)), temporary_path_(path_ + ".tmp"), fd_(fd) {}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temporary_path_.c_str());
}

Status AtomicFile::Append(std::string_view data) {
  return WriteAll(fd_, data, temporary_path_);
}

Status AtomicFile::Commit() {
  if (::fdatasync(fd_) != 0) return SystemError("cannot sync", temporary_path_);
  if (::close(fd_) != 0) {
    fd_ = -1;
    return SystemError("cannot close", temporary_path_);
  }
  fd_ = -1;
  if (std::rename(temporary_path_.c_str(), path_.c_str()) != 0) {
    return SystemError("cannot rename " + temporary_path_ + " to", path_);
  }
  committed_ = true;
  return SyncParentDirectory(path_);
}

Status WriteFileAtomically(const std::string& path, std::string_view content, mode_t mode) {
  Result<std::unique_ptr<AtomicFile>> file = AtomicFile::Create(path, mode);
  if (!file.ok()) return file.status();
  SKYFLOW_RETURN_IF_ERROR((*file)->Append(content));
  return (*file)->Commit();
}

Status SyncParentDirectory(const std::string& path) {
  std::string directory = std::filesystem::path(path).parent_path().string();
  if (directory.empty()) directory = ".";
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return SystemError("cannot open directory", directory);
  const int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) return SystemError("cannot sync directory", directory);
  return Status::Ok();
}

}  // namespace skyflow
