#include "pipeline/checkpoint.h"

namespace skyflow {

void RowTally::Add(RecordFate fate, uint64_t count) {
  switch (fate) {
    case RecordFate::kLoaded:
      loaded += count;
      return;
    case RecordFate::kAlreadyPresent:
      already_present += count;
      return;
    case RecordFate::kConflict:
      conflicts += count;
      return;
    case RecordFate::kFailed:
      failed += count;
      return;
    case RecordFate::kUnsent:
      return;
  }
}

void RowTally::Add(const RowTally& other) {
  loaded += other.loaded;
  already_present += other.already_present;
  conflicts += other.conflicts;
  failed += other.failed;
  rejected += other.rejected;
}

}  // namespace skyflow
