#include "util/csv_writer.h"

namespace skyflow {

void AppendCsvField(std::string_view field, char delimiter, std::string* out) {
  // A field that starts with U+FEFF would be read as a byte order mark, and
  // dropped, if it opened a file; the writer cannot know whether it does, so
  // it quotes such a field wherever it is.
  bool needs_quotes = field.starts_with("\xEF\xBB\xBF");
  for (char c : field) {
    if (c == delimiter || c == '"' || c == '\r' || c == '\n') {
      needs_quotes = true;
      break;
    }
  }
  if (!needs_quotes) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace skyflow
