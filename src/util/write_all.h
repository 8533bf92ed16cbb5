// WriteAll: writes every byte of `data` to a file descriptor, retrying short
// writes and EINTR. The error names `path` and the system's reason.
// Stateless; thread-safe as far as the descriptor's use is.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace skyflow {

Status WriteAll(int fd, std::string_view data, const std::string& path);

}  // namespace skyflow
