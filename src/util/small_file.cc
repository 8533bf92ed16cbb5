#include "util/small_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "util/errno_text.h"

namespace skyflow {

Result<std::string> ReadSmallFile(const std::string& path, size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) return Status::NotFound(path + ": no such file");
    return Status::IoError(path + ": cannot open: " + ErrnoText(error));
  }
  std::string text;
  struct stat info {};
  Status status;
  if (::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    status = Status::IoError(path + " is a directory; pass the file itself");
  } else {
    char buffer[65536];
    while (status.ok()) {
      const ssize_t count = ::read(fd, buffer, sizeof(buffer));
      if (count < 0) {
        if (errno == EINTR) continue;
        status = Status::IoError(path + ": cannot read: " + ErrnoText(errno));
      } else if (count == 0) {
        break;
      } else if (text.size() + static_cast<size_t>(count) > max_bytes) {
        status = Status::InvalidArgument(path + " is larger than " + std::to_string(max_bytes) +
                                         " bytes; is it the right file?");
      } else {
        text.append(buffer, static_cast<size_t>(count));
      }
    }
  }
  ::close(fd);
  SKYFLOW_RETURN_IF_ERROR(status);
  return text;
}

}  // namespace skyflow
