#include "emulator/common/flag_values.h"

#include <charconv>
#include <cmath>
#include <string>

namespace skyflow::emulator {
namespace {

bool ParseDouble(std::string_view text, double* value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size() &&
         std::isfinite(*value);
}

}  // namespace

Status FlagError(std::string_view flag, std::string_view problem) {
  return Status::InvalidArgument(std::string(flag) + ": " + std::string(problem));
}

Result<uint64_t> ParseUnsigned(std::string_view flag, std::string_view text, uint64_t max) {
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return FlagError(flag, "expected a non-negative integer, got \"" + std::string(text) + "\"");
  }
  if (value > max) return FlagError(flag, "must be at most " + std::to_string(max));
  return value;
}

Result<double> ParseProbability(std::string_view flag, std::string_view text) {
  double value = 0;
  if (!ParseDouble(text, &value) || value < 0 || value > 1) {
    return FlagError(flag,
                     "expected a probability between 0 and 1, got \"" + std::string(text) + "\"");
  }
  return value;
}

Result<double> ParseNonNegative(std::string_view flag, std::string_view text) {
  double value = 0;
  if (!ParseDouble(text, &value) || value < 0) {
    return FlagError(flag, "expected a number >= 0, got \"" + std::string(text) + "\"");
  }
  return value;
}

}  // namespace skyflow::emulator
