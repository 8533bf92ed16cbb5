// FaultsEndpoint: reads and replaces the fault plan of a running emulator,
// so that a test can change behaviour mid-load (an outage starting now, a
// rate limit lifted):
//   GET    /emulator/v1/faults  -> the plan in force, as JSON (every field)
//   PUT    /emulator/v1/faults  <- a whole plan (fault_plan_json.h; missing
//          fields mean "no fault"); it takes effect at once, its schedule
//          counting from now and its rate-limit buckets full. Answers the
//          plan as applied; an invalid one is refused with 400 naming the
//          field, and the plan in force stays.
//   DELETE /emulator/v1/faults  -> removes every fault
// Thread-safe (FaultControl is).
#pragma once

#include <string_view>

#include "emulator/faults/fault_control.h"
#include "emulator/http/http_response.h"

namespace skyflow::emulator {

class FaultsEndpoint {
 public:
  explicit FaultsEndpoint(FaultControl* control) : control_(control) {}

  void Get(HttpResponse* response) const;
  void Put(std::string_view body, HttpResponse* response) const;
  void Delete(HttpResponse* response) const;

 private:
  FaultControl* control_;
};

}  // namespace skyflow::emulator
