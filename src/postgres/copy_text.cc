#include "postgres/copy_text.h"

namespace skyflow::postgres {

void AppendCopyText(std::string_view value, std::string* out) {
  for (const char c : value) {
    switch (c) {
      case '\\':
        *out += "\\\\";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      default:
        *out += c;
    }
  }
}

void AppendCopyRow(std::initializer_list<std::string_view> fields, std::string* out) {
  bool first = true;
  for (const std::string_view field : fields) {
    if (!first) *out += '\t';
    AppendCopyText(field, out);
    first = false;
  }
  *out += '\n';
}

}  // namespace skyflow::postgres
