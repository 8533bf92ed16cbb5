#include "report/terminal_text.h"

#include "util/utf8.h"

namespace skyflow {
namespace {

// Length of the SGR escape ("\x1b[...m") starting at `at`, 0 if none does.
size_t EscapeLength(std::string_view line, size_t at) {
  if (line[at] != '\x1b' || at + 1 >= line.size() || line[at + 1] != '[') return 0;
  for (size_t i = at + 2; i < line.size(); ++i) {
    const char c = line[i];
    if ((c >= '0' && c <= '9') || c == ';') continue;
    return c == 'm' ? i + 1 - at : 0;
  }
  return 0;
}

}  // namespace

size_t VisibleWidth(std::string_view line) {
  size_t width = 0;
  for (size_t i = 0; i < line.size();) {
    if (const size_t escape = EscapeLength(line, i)) {
      i += escape;
      continue;
    }
    if (!IsUtf8Continuation(line[i])) ++width;
    ++i;
  }
  return width;
}

std::string TruncateToWidth(std::string_view line, size_t width) {
  std::string out;
  size_t columns = 0;
  bool coloured = false;
  for (size_t i = 0; i < line.size();) {
    if (const size_t escape = EscapeLength(line, i)) {
      const std::string_view sequence = line.substr(i, escape);
      coloured = sequence != kSgrReset;
      out.append(sequence);
      i += escape;
      continue;
    }
    if (!IsUtf8Continuation(line[i])) {
      if (columns == width) {
        if (coloured) out += kSgrReset;
        return out;
      }
      ++columns;
    }
    out.push_back(line[i]);
    ++i;
  }
  return out;
}

size_t RowsOccupied(const std::vector<size_t>& line_widths, size_t width) {
  size_t rows = 0;
  for (const size_t line : line_widths) {
    rows += (line == 0 || width == 0) ? 1 : (line + width - 1) / width;
  }
  return rows;
}

}  // namespace skyflow
