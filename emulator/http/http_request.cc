#include "emulator/http/http_request.h"

#include "util/ascii.h"

namespace skyflow::emulator {

std::string_view HttpRequest::Header(std::string_view name) const {
  for (const HttpHeader& header : headers) {
    if (EqualsIgnoreCase(header.name, name)) return header.value;
  }
  return {};
}

}  // namespace skyflow::emulator
