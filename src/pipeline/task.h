// Task: one request's worth of work for a vault, and what it has been
// through. A batch from the source becomes an insert task; answers turn tasks
// into finished records, or into new tasks: the halves of a refused batch,
// lookups of records a conflict left in doubt, the records to send again.
// Plain data, owned by the dispatcher (one thread).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "net/clock.h"
#include "source/record.h"

namespace skyflow {

enum class TaskKind {
  kInsert,       // store the records
  kFindByToken,  // detokenize the records' tokens
  kFindByValue,  // read the records holding the records' values
};

const char* TaskKindName(TaskKind kind);

// Why records are looked up, which decides what a stored (value, token)
// pair means: the vault refused the insert as a conflict (the pair was
// stored before: "already present"), or the vault's answer to our own insert
// was unclear (the pair was stored by it: "loaded").
enum class LookupReason { kConflict, kUnconfirmed };

struct Task {
  TaskKind kind = TaskKind::kInsert;
  LookupReason lookup_reason = LookupReason::kConflict;
  uint64_t batch = 0;  // the source batch the records came in (for messages)
  std::vector<Record> records;
  std::string body;  // the POST body; empty for a read
  // Lookups that ended with records absent, so sent again; a conflict after
  // two such rounds is not looked up again but isolated by splitting.
  int conflict_rounds = 0;
  int sends = 0;               // requests made for this task
  int transient_failures = 0;  // answers that count against -max-attempts
  std::string last_error;      // the last failed answer, for a give-up message
  long last_status = 0;
  std::string last_request_id;
  // The task gives up resending after this (-max-retry-time without
  // progress); set when the task is created.
  Clock::TimePoint deadline{};
};

}  // namespace skyflow
