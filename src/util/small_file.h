// ReadSmallFile: the whole content of a file meant to be small (a config,
// a fault plan, a schema, a key), refused past a size limit so that passing
// the wrong file (a data file, /dev/zero) fails at once instead of eating
// memory.
//
// Errors, each starting with the path: NotFound when it does not exist
// (callers add a hint of how to create it), IoError when it cannot be
// opened or read or is a directory, InvalidArgument when it is larger than
// `max_bytes`. Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "util/status.h"

namespace skyflow {

Result<std::string> ReadSmallFile(const std::string& path, size_t max_bytes);

}  // namespace skyflow
