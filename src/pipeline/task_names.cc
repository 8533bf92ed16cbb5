#include "pipeline/record_fate.h"
#include "pipeline/task.h"

namespace skyflow {

const char* TaskKindName(TaskKind kind) {
  switch (kind) {
    case TaskKind::kInsert:
      return "insert";
    case TaskKind::kFindByToken:
      return "lookup by token";
    case TaskKind::kFindByValue:
      return "lookup by value";
  }
  return "insert";
}

const char* RecordFateName(RecordFate fate) {
  switch (fate) {
    case RecordFate::kLoaded:
      return "loaded";
    case RecordFate::kAlreadyPresent:
      return "already present";
    case RecordFate::kConflict:
      return "conflict";
    case RecordFate::kFailed:
      return "failed";
    case RecordFate::kUnsent:
      return "unsent";
  }
  return "failed";
}

}  // namespace skyflow
