// FaultInjector: applies the fault plan in force to one worker's requests.
//
// The API handler asks it at three points of a vault API request:
//   BeforeRequest  (after authentication): schedule windows, connection
//                  reset, the error mix, the requests/s limit. A verdict
//                  other than kProceed means the request is not processed.
//   BeforeApply    (after the endpoint parsed a write of N records): the
//                  records/s limit.
//   AfterRequest   (the answer is written): drop it after commit, or hold
//                  it past the client's timeout, and add latency.
// ReadRateLimit is asked once per accepted connection (slow reads); it
// cannot know the vault yet, so `vaults` does not restrict it.
//
// Draws come from a per-worker generator seeded from --seed, so a run is
// reproducible as far as the order in which a worker sees requests is. With
// no fault configured no draw is made and the cost is one atomic load.
// One injector per worker thread; not synchronised (FaultControl and
// FaultCounters, which it shares, are).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "emulator/common/random.h"
#include "emulator/faults/fault_control.h"
#include "emulator/faults/fault_counters.h"
#include "emulator/http/http_response.h"

namespace skyflow::emulator {

struct FaultVerdict {
  enum class Action {
    kProceed,      // process the request
    kAnswerError,  // answer `status` with `message` instead
    kReset,        // abort the connection; nothing is processed
  };
  Action action = Action::kProceed;
  int status = 0;
  int retry_after_seconds = -1;  // < 0: no Retry-After header
  std::string message;
};

class FaultInjector {
 public:
  using Clock = std::chrono::steady_clock;

  FaultInjector(FaultControl* control, FaultCounters* counters, uint64_t seed);

  FaultVerdict BeforeRequest(std::string_view vault_id);
  FaultVerdict BeforeApply(std::string_view vault_id, uint64_t records);
  // `applied`: the endpoint applied the request (ambiguous failures apply
  // only then).
  void AfterRequest(std::string_view vault_id, bool applied, HttpResponse* response);
  uint64_t ReadRateLimit();

 private:
  // The active plan, refreshed when the control's version moved.
  ActiveFaultPlan& Plan();
  FaultVerdict Inject(FaultKind kind, std::string_view origin);
  FaultVerdict RateLimited(std::string_view what, std::chrono::milliseconds retry_after);

  FaultControl* control_;
  FaultCounters* counters_;
  Random random_;
  std::shared_ptr<ActiveFaultPlan> plan_;
  uint64_t version_ = 0;
  // Set by BeforeRequest for AfterRequest: a schedule window asked for an
  // ambiguous failure of this request.
  bool scheduled_drop_ = false;
  bool scheduled_late_ = false;
};

}  // namespace skyflow::emulator
