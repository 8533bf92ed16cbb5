// Parsing of command-line flag values for the emulator, with messages that
// name the flag ("--fault-503: expected a probability between 0 and 1, got
// "x""). Shared by the emulator's options and the fault flags. Stateless.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace skyflow::emulator {

Status FlagError(std::string_view flag, std::string_view problem);

// Walks "--flag VALUE" and "--flag=VALUE" arguments, giving each flag that
// `is_known` accepts, with its value, to `apply`; "--help" and "-h" set
// *show_help instead. The first error (an argument that is not a flag, an
// unknown flag, a missing value, or what `apply` returns) ends the walk.
Status ForEachFlag(
    const std::vector<std::string>& args, const std::function<bool(std::string_view)>& is_known,
    bool* show_help,
    const std::function<Status(std::string_view flag, const std::string& value)>& apply);
// A whole number in [0, max].
Result<uint64_t> ParseUnsigned(std::string_view flag, std::string_view text, uint64_t max);
// A number in [0, 1].
Result<double> ParseProbability(std::string_view flag, std::string_view text);
// A finite number >= 0.
Result<double> ParseNonNegative(std::string_view flag, std::string_view text);

}  // namespace skyflow::emulator
