#include "emulator/common/port_file.h"

#include <cstdio>
#include <fstream>

namespace skyflow::emulator {

Status WritePortFile(const std::string& path, uint16_t port) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream file(temporary, std::ios::trunc);
    file << port << '\n';
    file.close();
    if (!file) return Status::IoError("--port-file: cannot write " + temporary);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return Status::IoError("--port-file: cannot rename " + temporary + " to " + path);
  }
  return Status::Ok();
}

}  // namespace skyflow::emulator
