// Parsing of command-line flag values for the emulator, with messages that
// name the flag ("--fault-503: expected a probability between 0 and 1, got
// "x""). Shared by the emulator's options and the fault flags. Stateless.
#pragma once

#include <cstdint>
#include <string_view>

#include "util/status.h"

namespace skyflow::emulator {

Status FlagError(std::string_view flag, std::string_view problem);
// A whole number in [0, max].
Result<uint64_t> ParseUnsigned(std::string_view flag, std::string_view text, uint64_t max);
// A number in [0, 1].
Result<double> ParseProbability(std::string_view flag, std::string_view text);
// A finite number >= 0.
Result<double> ParseNonNegative(std::string_view flag, std::string_view text);

}  // namespace skyflow::emulator
