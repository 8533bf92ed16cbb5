#include "emulator/sqlapi/gzip.h"

#include <zlib.h>

#include <limits>

#include "util/ascii.h"

namespace skyflow::emulator::sqlapi {
namespace {

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

// "q=0", "q=0.0", "q=0.000": the coding is refused.
bool IsZeroQuality(std::string_view parameters) {
  while (!parameters.empty()) {
    const size_t semicolon = parameters.find(';');
    const std::string_view parameter = TrimSpaces(parameters.substr(0, semicolon));
    parameters =
        semicolon == std::string_view::npos ? std::string_view() : parameters.substr(semicolon + 1);
    if (parameter.size() < 2 || AsciiLower(parameter[0]) != 'q' || parameter[1] != '=') continue;
    const std::string_view value = parameter.substr(2);
    return !value.empty() && value.find_first_not_of("0.") == std::string_view::npos;
  }
  return false;
}

}  // namespace

bool AcceptsGzip(std::string_view accept_encoding) {
  while (!accept_encoding.empty()) {
    const size_t comma = accept_encoding.find(',');
    const std::string_view coding = accept_encoding.substr(0, comma);
    accept_encoding =
        comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    const size_t semicolon = coding.find(';');
    const std::string_view name = TrimSpaces(coding.substr(0, semicolon));
    const std::string_view parameters =
        semicolon == std::string_view::npos ? std::string_view() : coding.substr(semicolon + 1);
    if ((EqualsIgnoreCase(name, "gzip") || name == "*") && !IsZeroQuality(parameters)) {
      return true;
    }
  }
  return false;
}

Result<std::string> GzipCompress(std::string_view data) {
  if (data.size() > std::numeric_limits<uInt>::max()) {
    return Status::InvalidArgument("gzip: a body over 4 GiB");
  }
  z_stream stream{};
  // 15 window bits + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("gzip: deflateInit2 failed");
  }
  std::string compressed(deflateBound(&stream, static_cast<uLong>(data.size())) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(compressed.data());
  stream.avail_out = static_cast<uInt>(compressed.size());
  const int result = deflate(&stream, Z_FINISH);
  const uLong written = stream.total_out;
  deflateEnd(&stream);
  if (result != Z_STREAM_END) return Status::Internal("gzip: deflate did not finish");
  compressed.resize(written);
  return compressed;
}

}  // namespace skyflow::emulator::sqlapi
