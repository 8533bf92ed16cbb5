// The emulator's fault flags: each sets one field of the startup FaultPlan
// (see FaultFlagsUsage for the list). The same plan can come whole from a
// JSON file with --faults FILE (fault_plan_json.h), which cannot be mixed
// with these flags: one source, no precedence rules to remember. Stateless.
#pragma once

#include <string>
#include <string_view>

#include "emulator/faults/fault_plan.h"
#include "util/status.h"

namespace skyflow::emulator {

bool IsFaultFlag(std::string_view flag);

// Applies `--flag value` to `plan`; errors name the flag.
Status ApplyFaultFlag(std::string_view flag, std::string_view value, FaultPlan* plan);

// Parses "START+DURATION:FAULT[@PROBABILITY]", seconds, e.g. "10+5:503".
Result<ScheduledFault> ParseScheduleWindow(std::string_view flag, std::string_view text);

// The "Faults:" section of --help.
std::string FaultFlagsUsage();

}  // namespace skyflow::emulator
