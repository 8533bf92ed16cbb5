// HostPort: a listening address written "HOST:PORT" (-metrics-addr), split
// into its parts. HOST is an IPv4 address, a name (localhost), or an IPv6
// address in brackets ("[::1]:9102"); it may not be empty, so that listening
// on every interface is always written out (0.0.0.0 or [::]). PORT is 0 to
// 65535; 0 asks the system for a free port. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/status.h"

namespace skyflow {

struct HostPort {
  std::string host;  // without the brackets of an IPv6 address
  uint16_t port = 0;
};

// InvalidArgument naming `text` and what is wrong with it.
Result<HostPort> ParseHostPort(std::string_view text);

// "127.0.0.1:9102", "[::1]:9102": the address as a URL writes it.
std::string FormatHostPort(const HostPort& address);

}  // namespace skyflow
