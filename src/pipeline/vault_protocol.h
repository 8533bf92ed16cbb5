// VaultProtocol: what the vault's answers mean for the records a task
// carries, and which requests follow. The dispatcher decides when requests
// go; this decides what they are and what their answers settle.
//
//   insert, all stored          -> loaded
//   insert, uniqueness conflict -> look the records up (detokenize their
//                                  tokens, then read their values): the same
//                                  pair stored is "already present", a token
//                                  or value stored with another partner is a
//                                  real conflict, the rest is sent again
//   insert, refused (other 4xx) -> split in halves and resend, down to the
//                                  single record that is refused
//   insert, answer unclear      -> look the records up; stored is "loaded"
//   batch endpoint              -> each record's own status, as above
//   429/503, 408/5xx, network   -> resend (the dispatcher's decision)
//   401/403, untrusted TLS      -> stop the run;  404 on an insert -> stop the vault
// Immutable after construction; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "net/http_exchange.h"
#include "pipeline/record_fate.h"
#include "pipeline/task.h"
#include "util/status.h"
#include "vault/insert_payload.h"
#include "vault/vault_answer.h"

namespace skyflow {

struct VaultEndpoint {
  std::string vault_name;  // for messages
  std::string vault_url;
  std::string vault_id;
  InsertOptions insert;  // column, table, upsert, endpoint
};

struct Verdict {
  enum class Then {
    kSettled,   // the task is done: see `settled` and `follow_ups`
    kResend,    // send the same task again (the dispatcher decides when)
    kStopLane,  // this vault cannot go on: `stop` says why
    kStopRun,   // no vault can go on: `stop` says why
  };
  Then then = Then::kSettled;
  VaultAnswer answer;
  std::vector<SettledRecords> settled;
  std::vector<Task> follow_ups;
  uint64_t records_stored = 0;  // stored by this very request (for pacing)
  Status stop;
};

class VaultProtocol {
 public:
  explicit VaultProtocol(VaultEndpoint endpoint);

  const VaultEndpoint& endpoint() const { return endpoint_; }

  // An insert task for `records`, its body encoded.
  Task InsertTask(uint64_t batch, std::vector<Record> records, int conflict_rounds = 0) const;

  // The request for `task`, without headers or timeout. Its body refers to
  // task.body, which must outlive the request.
  HttpRequest RequestFor(const Task& task) const;

  // What `response` means for `task`. When the verdict is kSettled, the
  // task's records have moved into the verdict's settled groups and
  // follow-up tasks; otherwise the task is unchanged.
  Verdict Interpret(Task& task, const HttpResponse& response) const;

 private:
  void InterpretInsert(Task& task, const HttpResponse& response, Verdict* verdict) const;
  void InterpretBatchAnswers(Task& task, const HttpResponse& response, Verdict* verdict) const;
  void InterpretFindByToken(Task& task, const HttpResponse& response, Verdict* verdict) const;
  void InterpretFindByValue(Task& task, const HttpResponse& response, Verdict* verdict) const;
  // A lookup the vault refused (not permitted, say): the records cannot be
  // checked, and are reported with what is known.
  void SettleUncheckable(Task& task, Verdict* verdict) const;
  // An answer that does not say what it should: resent like a lost one.
  static void Malformed(const Status& why, Verdict* verdict);
  // Tasks that look `records` up, 25 at a time.
  void AddLookups(const Task& parent, std::vector<Record> records, LookupReason reason,
                  std::vector<Task>* out) const;
  Task LookupTask(TaskKind kind, const Task& parent, std::vector<Record> records,
                  LookupReason reason) const;
  // The two halves of `task`'s records as insert tasks.
  void AddHalves(Task& task, std::vector<Task>* out) const;
  // Reports `records` with one fate, from `task`'s answer.
  static void Settle(Verdict* verdict, const Task& task, RecordFate fate,
                     std::vector<Record> records, std::string reason);
  Status StopRunStatus(const VaultAnswer& answer) const;

  VaultEndpoint endpoint_;
  std::string insert_url_;
  std::string detokenize_url_;
};

}  // namespace skyflow
