#include "util/host_port.h"

#include <charconv>

namespace skyflow {
namespace {

Status Invalid(std::string_view text, std::string_view why) {
  return Status::InvalidArgument("address \"" + std::string(text) + "\" " + std::string(why) +
                                 ": write HOST:PORT, as in 127.0.0.1:9102 (port 0: any free "
                                 "port; 0.0.0.0:PORT to listen on every interface)");
}

}  // namespace

Result<HostPort> ParseHostPort(std::string_view text) {
  HostPort address;
  std::string_view port;
  if (text.starts_with('[')) {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Invalid(text, "has an IPv6 host without \"]:PORT\" after it");
    }
    address.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return Invalid(text, "has no port");
    address.host = std::string(text.substr(0, colon));
    if (address.host.find(':') != std::string::npos) {
      return Invalid(text, "has an IPv6 host without brackets ([::1]:PORT)");
    }
    port = text.substr(colon + 1);
  }
  if (address.host.empty()) return Invalid(text, "has no host");
  unsigned value = 0;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || error != std::errc() || end != port.data() + port.size() || value > 65535) {
    return Invalid(text, "has no port number from 0 to 65535");
  }
  address.port = static_cast<uint16_t>(value);
  return address;
}

std::string FormatHostPort(const HostPort& address) {
  const bool bracket = address.host.find(':') != std::string::npos;
  return (bracket ? "[" + address.host + "]" : address.host) + ":" + std::to_string(address.port);
}

}  // namespace skyflow
