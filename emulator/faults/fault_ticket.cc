#include "emulator/faults/fault_ticket.h"

namespace skyflow::emulator {

// Layout: sequence in bits 24..63, plan in bits 8..23, the scheduled flag in
// bit 4, the kind + 1 in bits 0..3 (0: no fault).
uint64_t FaultTicket::Pack() const {
  const uint64_t kind = fault ? static_cast<uint64_t>(*fault) + 1 : 0;
  return (sequence << 24) | (uint64_t{plan} << 8) | (scheduled ? uint64_t{1} << 4 : 0) | kind;
}

FaultTicket FaultTicket::Unpack(uint64_t packed) {
  FaultTicket ticket;
  ticket.sequence = packed >> 24;
  ticket.plan = static_cast<uint16_t>(packed >> 8);
  ticket.scheduled = (packed & (uint64_t{1} << 4)) != 0;
  const uint64_t kind = packed & 0xF;
  if (kind != 0) ticket.fault = static_cast<FaultKind>(kind - 1);
  return ticket;
}

}  // namespace skyflow::emulator
