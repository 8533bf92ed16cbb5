// Text for a terminal: how many columns a line takes (SGR colour escapes
// take none; one column per UTF-8 code point, which holds for the Latin text
// and ASCII bars the live display writes), and cutting a line to a width.
// Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace skyflow {

inline constexpr char kSgrReset[] = "\x1b[0m";

size_t VisibleWidth(std::string_view line);

// The line cut to at most `width` columns, escapes kept; a cut line that had
// colour on ends with a reset, so that the colour does not run on.
std::string TruncateToWidth(std::string_view line, size_t width);

// Terminal rows the lines take at `width` columns, each on its own row(s):
// a line wider than the terminal wraps (after a resize to fewer columns, the
// lines drawn before take more rows).
size_t RowsOccupied(const std::vector<size_t>& line_widths, size_t width);

}  // namespace skyflow
