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

Status ForEachFlag(
    const std::vector<std::string>& args, const std::function<bool(std::string_view)>& is_known,
    bool* show_help,
    const std::function<Status(std::string_view flag, const std::string& value)>& apply) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      *show_help = true;
      continue;
    }
    if (arg.substr(0, 2) != "--")
      return FlagError(arg, "unexpected argument (flags start with --)");
    std::string_view flag = arg;
    std::string value;
    const size_t equals = arg.find('=');
    if (equals != std::string_view::npos) flag = arg.substr(0, equals);
    if (!is_known(flag)) return FlagError(flag, "unknown flag");
    if (equals != std::string_view::npos) {
      value = std::string(arg.substr(equals + 1));
    } else {
      if (i + 1 >= args.size()) return FlagError(flag, "missing value");
      value = args[++i];
    }
    SKYFLOW_RETURN_IF_ERROR(apply(flag, value));
  }
  return Status::Ok();
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
