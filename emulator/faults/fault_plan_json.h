// The JSON form of a FaultPlan: read from --faults FILE and from the admin
// endpoint that replaces a running emulator's plan, written back by the
// endpoint that shows it. Every field is optional; a missing one keeps its
// default (no fault), so `{}` clears everything:
//   {"errors": {"429": 0.1, "503": 0.05, "500": 0, "408": 0},
//    "retry_after_seconds": 1,
//    "latency": {"fixed_ms": 5, "jitter": "lognormal", "jitter_ms": 20, "sigma": 0.8},
//    "rate_limit": {"requests_per_second": 50, "records_per_second": 15000,
//                   "burst_seconds": 1},
//    "ambiguous": {"drop_after_commit": 0.01, "late_answer": 0.01, "late_answer_ms": 65000},
//    "connection": {"reset": 0.01, "slow_read": 0.1, "slow_read_bytes_per_second": 65536},
//    "schedule": [{"start_seconds": 10, "duration_seconds": 5, "fault": "503",
//                  "probability": 1}],
//    "vaults": ["vault-a"]}
// Unknown keys and wrong types are errors naming the JSON path, so a typo
// never silently means "no fault". Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "emulator/faults/fault_plan.h"
#include "util/status.h"

namespace skyflow::emulator {

// Parses and validates. `origin` ("--faults plan.json", "request body")
// starts every error message.
Result<FaultPlan> ParseFaultPlanJson(std::string_view json, std::string_view origin);

// The plan as JSON, every field present, in the format above.
std::string FaultPlanToJson(const FaultPlan& plan);

}  // namespace skyflow::emulator
