#include "emulator/api/query_string.h"

#include "util/ascii.h"
#include "util/utf8.h"

namespace skyflow::emulator {

Status PercentDecode(std::string_view text, std::string* out) {
  out->clear();
  out->reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out->push_back(' ');
    } else if (c != '%') {
      out->push_back(c);
    } else {
      const int high = i + 2 < text.size() ? HexDigitValue(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? HexDigitValue(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return Status::InvalidArgument(
            "Invalid query string: '%' must be followed by two hex digits (percent-encoding)");
      }
      out->push_back(static_cast<char>(high << 4 | low));
      i += 2;
    }
  }
  if (FindInvalidUtf8(*out)) {
    return Status::InvalidArgument(
        "Invalid query string: a decoded parameter is not UTF-8; percent-encode UTF-8 bytes");
  }
  return Status::Ok();
}

Status ParseQueryString(std::string_view query, std::vector<QueryParameter>* out) {
  out->clear();
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view segment = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (segment.empty()) continue;
    const size_t equals = segment.find('=');
    QueryParameter parameter;
    SKYFLOW_RETURN_IF_ERROR(PercentDecode(segment.substr(0, equals), &parameter.name));
    if (equals != std::string_view::npos) {
      SKYFLOW_RETURN_IF_ERROR(PercentDecode(segment.substr(equals + 1), &parameter.value));
    }
    out->push_back(std::move(parameter));
  }
  return Status::Ok();
}

}  // namespace skyflow::emulator
