// ErrnoText: the system's description of an errno value ("No such file or
// directory"), for error messages. Unlike std::strerror it shares no buffer
// between calls, so any thread may call it at any time.
#pragma once

#include <string>

namespace skyflow {

std::string ErrnoText(int error);

}  // namespace skyflow
