// AdminHandler: the emulator's own endpoints, for tests, benchmarks and the
// demo (not part of the vault API; no authentication, so a test can always
// inspect the emulator whatever tokens it was started with):
//   GET  /emulator/v1/stats  -> {"tables":{"<vaultID>/<table>":
//                                  {"records":N,"digest":"<64 hex>"}},
//                                "requests":{"total":N,"by_status":{"200":N},
//                                            "unanswered":N},
//                                "faults":{"429":N,...,"drop_after_commit":N,
//                                          "rate_limited":N,...}}
//        unanswered: requests closed without an answer (reset, dropped);
//        faults: injected faults by kind (fault_counters.h).
//        digest: PairDigest (util/pair_digest.h) over every stored field's
//        (value, token); tables sorted by name.
//   POST /emulator/v1/reset  -> {"reset":true}; drops every table and zeroes
//        the request counters (the reset request itself is then counted).
// Stateless apart from the shared store and counters; thread-safe.
#pragma once

#include "emulator/admin/request_counters.h"
#include "emulator/faults/fault_counters.h"
#include "emulator/http/http_response.h"
#include "emulator/store/vault_store.h"

namespace skyflow::emulator {

class AdminHandler {
 public:
  AdminHandler(VaultStore* store, RequestCounters* counters, FaultCounters* fault_counters)
      : store_(store), counters_(counters), fault_counters_(fault_counters) {}

  void Stats(HttpResponse* response) const;
  void Reset(HttpResponse* response) const;

 private:
  VaultStore* store_;
  RequestCounters* counters_;
  FaultCounters* fault_counters_;
};

}  // namespace skyflow::emulator
