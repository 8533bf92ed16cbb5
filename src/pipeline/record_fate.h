// RecordFate: how a record read from the source ended. Every record read
// ends in exactly one fate, reported once, so that
//   read = loaded + already present + conflict + failed + unsent
// holds at the end of any run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "source/record.h"

namespace skyflow {

enum class RecordFate {
  kLoaded,          // stored by this run
  kAlreadyPresent,  // the vault holds this very (value, token) pair already
  kConflict,        // the token or the value is stored with another partner
  kFailed,          // refused, or retries given up: the reason says which
  kUnsent,          // never settled: the run or its vault stopped first
};

const char* RecordFateName(RecordFate fate);

// Records that met one fate for one reason, as reported together.
struct SettledRecords {
  RecordFate fate = RecordFate::kLoaded;
  uint64_t batch = 0;
  std::vector<Record> records;
  std::string reason;  // empty for loaded and already present
  long http_status = 0;
  std::string request_id;
  int attempts = 0;  // requests made for the records' last task
};

}  // namespace skyflow
