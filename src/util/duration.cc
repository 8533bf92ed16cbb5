#include "util/duration.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace skyflow {

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double total_ms = 0;
  bool bare_number = true;
  while (!text.empty()) {
    double number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() || number < 0 || !std::isfinite(number)) return std::nullopt;
    text.remove_prefix(static_cast<size_t>(end - text.data()));
    size_t unit_length = 0;
    while (unit_length < text.size() && text[unit_length] >= 'a' && text[unit_length] <= 'z')
      ++unit_length;
    const std::string_view unit = text.substr(0, unit_length);
    text.remove_prefix(unit_length);
    double scale = 0;
    if (unit.empty()) {
      // Only a lone number may omit its unit (seconds).
      if (!bare_number || !text.empty()) return std::nullopt;
      scale = 1000;
    } else if (unit == "h") {
      scale = 3600e3;
    } else if (unit == "m") {
      scale = 60e3;
    } else if (unit == "s") {
      scale = 1e3;
    } else if (unit == "ms") {
      scale = 1;
    } else {
      return std::nullopt;
    }
    bare_number = false;
    total_ms += number * scale;
  }
  if (total_ms > 1e15) return std::nullopt;
  return std::chrono::milliseconds(static_cast<int64_t>(std::llround(total_ms)));
}

std::string FormatDuration(std::chrono::milliseconds duration) {
  const int64_t ms = duration.count();
  if (ms < 1000) return std::to_string(ms) + " ms";
  if (ms < 60000) {
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.1f s", static_cast<double>(ms) / 1000.0);
    return buffer;
  }
  const int64_t minutes = ms / 60000;
  if (minutes < 60) return std::to_string(minutes) + " min";
  const int64_t rest = minutes % 60;
  return std::to_string(minutes / 60) + " h" + (rest ? " " + std::to_string(rest) + " min" : "");
}

}  // namespace skyflow
