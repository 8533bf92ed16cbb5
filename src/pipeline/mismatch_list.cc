#include "pipeline/mismatch_list.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "util/errno_text.h"
#include "util/json_writer.h"
#include "util/write_all.h"

namespace skyflow {

std::string MismatchLine(const std::string& vault, const std::string& origin_label,
                         const Record& record, const std::optional<std::string>& found,
                         PairVerdict verdict) {
  std::string line;
  JsonWriter json(&line);
  json.BeginObject()
      .Field("vault", vault)
      .Field("origin", FormatOrigin(origin_label, record.origin_line))
      .Field("sequence", record.sequence)
      .Field("token", record.token)
      .Field("expected_value", record.value)
      .Key("found_value");
  if (found.has_value()) {
    json.String(*found);
  } else {
    json.Null();
  }
  json.Field("reason", PairVerdictName(verdict)).EndObject();
  line.push_back('\n');
  return line;
}

MismatchList::~MismatchList() {
  if (fd_ >= 0) ::close(fd_);
}

Status MismatchList::Create(const std::string& path) {
  path_ = path;
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    return Status::IoError("cannot create the verify list file " + path + ": " + ErrnoText(errno) +
                           "; choose another place with -verify-report");
  }
  // An existing file keeps its mode through O_CREAT: it gets 0600 too.
  if (::fchmod(fd_, 0600) != 0) {
    return Status::IoError("cannot make the verify list file " + path +
                           " private (mode 0600): " + ErrnoText(errno));
  }
  return Status::Ok();
}

Status MismatchList::Append(const std::string& vault, const std::string& origin_label,
                            const Record& record, const std::optional<std::string>& found,
                            PairVerdict verdict) {
  if (fd_ < 0) return Status::Internal("the verify list file is not open");
  const std::string line = MismatchLine(vault, origin_label, record, found, verdict);
  SKYFLOW_RETURN_IF_ERROR(WriteAll(fd_, line, "verify list file " + path_));
  ++lines_;
  return Status::Ok();
}

Status MismatchList::Close() {
  if (fd_ < 0) return Status::Ok();
  const int fd = fd_;
  fd_ = -1;
  if (::fdatasync(fd) != 0) {
    const std::string reason = ErrnoText(errno);
    ::close(fd);
    return Status::IoError("cannot sync the verify list file " + path_ + ": " + reason);
  }
  if (::close(fd) != 0) {
    return Status::IoError("cannot close the verify list file " + path_ + ": " + ErrnoText(errno));
  }
  return Status::Ok();
}

}  // namespace skyflow
