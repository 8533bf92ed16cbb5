// SampleLatency: one draw of the delay a LatencySpec describes (fixed part
// plus a uniform or log-normal random part), capped at ten minutes so that a
// long tail cannot park a connection for ever. Stateless apart from the
// caller's generator.
#pragma once

#include <chrono>

#include "emulator/common/random.h"
#include "emulator/faults/fault_plan.h"

namespace skyflow::emulator {

std::chrono::milliseconds SampleLatency(const LatencySpec& spec, Random* random);

}  // namespace skyflow::emulator
