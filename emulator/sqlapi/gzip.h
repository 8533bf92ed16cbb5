// Gzip (RFC 1952) of a response body, for clients that send
// "Accept-Encoding: gzip" (Snowflake compresses result partitions).
// Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace skyflow::emulator::sqlapi {

// True when an Accept-Encoding header value admits gzip (a "gzip" or "*"
// coding whose q is not 0).
bool AcceptsGzip(std::string_view accept_encoding);

// The gzip member holding `data`, at zlib's fastest level (the emulator
// compresses on every request; ratio matters less than time).
Result<std::string> GzipCompress(std::string_view data);

}  // namespace skyflow::emulator::sqlapi
