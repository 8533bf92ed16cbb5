// The --port-file of the emulators: the port they listen on, written so that
// a script or test polling for the file never reads a partial number (to
// FILE.tmp, then renamed). Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "util/status.h"

namespace skyflow::emulator {

Status WritePortFile(const std::string& path, uint16_t port);

}  // namespace skyflow::emulator
