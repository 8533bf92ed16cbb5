// FaultTicket: what the fault plan decided for one vault API request, drawn
// once, when the request's head arrived (so that a reset can come before
// the body is read), and acted on at each later step of the request.
//
// It packs into the 64-bit ticket the HTTP server carries from a request's
// head to the complete request (HttpRequest::ticket). Value type.
#pragma once

#include <cstdint>
#include <optional>

#include "emulator/faults/fault_plan.h"

namespace skyflow::emulator {

struct FaultTicket {
  // 1, 2, ... in the order requests reached the plan since it took effect
  // (below 2^40); 0 when no plan applied to the request (nothing was drawn).
  uint64_t sequence = 0;
  // The low bits of the version of the plan that drew it: a ticket drawn
  // under a plan since replaced is drawn again under the new one.
  uint16_t plan = 0;
  std::optional<FaultKind> fault;  // the fault drawn for this request, if any
  bool scheduled = false;          // it came from a schedule window

  uint64_t Pack() const;
  static FaultTicket Unpack(uint64_t packed);
};

}  // namespace skyflow::emulator
