// FaultInjector: applies the fault plan in force to one worker's requests.
//
// The API handler asks it at four points of a vault API request:
//   Admit          (the request's head has arrived, its body not read yet):
//                  draws the request's fault from the schedule windows and
//                  the per-request probabilities (reset, error mix, drop,
//                  late answer: shares of all requests, one draw). A reset
//                  is acted on at once: the body is never read.
//   BeforeRequest  (after authentication): answers a drawn 429/503/500/408,
//                  or applies the requests/s limit. A verdict other than
//                  kProceed means the request is not processed.
//   BeforeApply    (after the endpoint parsed a write of N records): the
//                  records/s limit.
//   AfterRequest   (the answer is written): drop it after commit, or hold
//                  it past the client's timeout, if the request stored
//                  something; and add latency.
// ReadRateLimit is asked once per accepted connection (slow reads); it
// cannot know the vault yet, so `vaults` does not restrict it.
//
// Reproducible under --seed: the n-th request (or connection) to reach a
// plan since it took effect gets the n-th draw of the seed's sequence, on
// whichever worker it lands. Which request is the n-th depends on arrival
// order, so runs repeat exactly when requests arrive in the same order (one
// connection), and in counts otherwise. Schedule windows also depend on the
// time. With no fault configured nothing is drawn and the cost is one
// atomic load. One injector per worker thread; not synchronised
// (FaultControl and FaultCounters, which it shares, are).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "emulator/common/random.h"
#include "emulator/faults/fault_control.h"
#include "emulator/faults/fault_counters.h"
#include "emulator/faults/fault_ticket.h"
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

  // `seed`: the same for every worker (--seed).
  FaultInjector(FaultControl* control, FaultCounters* counters, uint64_t seed);

  // A ticket whose fault is kReset is counted here: the caller resets the
  // connection without reading or processing the request.
  FaultTicket Admit(std::string_view vault_id);
  // Whether `ticket` was drawn under the plan in force (false for one drawn
  // under a plan replaced since, or never drawn): else the caller admits
  // the request again.
  bool IsCurrent(const FaultTicket& ticket);
  FaultVerdict BeforeRequest(std::string_view vault_id, const FaultTicket& ticket);
  FaultVerdict BeforeApply(std::string_view vault_id, uint64_t records);
  // `applied`: the request stored or changed something (ambiguous failures
  // apply only then: a refused request has nothing to be ambiguous about).
  void AfterRequest(std::string_view vault_id, const FaultTicket& ticket, bool applied,
                    HttpResponse* response);
  uint64_t ReadRateLimit();

 private:
  // The active plan, refreshed when the control's version moved.
  ActiveFaultPlan& Plan();
  // A 429/503/500/408 answered instead of processing (Retry-After from `plan`).
  FaultVerdict AnswerError(FaultKind kind, std::string_view origin, const FaultPlan& plan);
  FaultVerdict RateLimited(std::string_view what, double rate,
                           std::chrono::milliseconds retry_after);

  FaultControl* control_;
  FaultCounters* counters_;
  // Seeds of the independent streams: per-request decisions, per-request
  // latency, per-connection slow reads. Draw n of a stream comes from
  // Random(DeriveSeed(stream seed, n)).
  uint64_t decision_seed_;
  uint64_t latency_seed_;
  uint64_t connection_seed_;
  std::shared_ptr<ActiveFaultPlan> plan_;
  uint64_t version_ = 0;
};

}  // namespace skyflow::emulator
