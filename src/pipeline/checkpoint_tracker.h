// CheckpointTracker: turns batches read and records settled, which happen in
// any order, into one vault's checkpoint: the longest prefix of the source
// whose every row is settled.
//
// The producer reports each stretch of rows it read (a batch's records, the
// rows rejected with it, and the source's cursor after them) before the batch
// is queued; the dispatcher's observer reports each settlement after the
// records' error-log lines are durable. So a checkpoint never claims a row
// whose outcome could still be lost. Unsent records (the run stopped first)
// never settle their stretch: the checkpoint stays before them.
//
// Memory: one entry per stretch between the checkpoint and the newest read.
// Thread-safe: producer, dispatcher and checkpoint writer call concurrently.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "pipeline/checkpoint.h"
#include "pipeline/record_fate.h"

namespace skyflow {

class CheckpointTracker {
 public:
  // `start`: the checkpoint the run resumes from (a default one for a new run).
  explicit CheckpointTracker(Checkpoint start);

  // Rows up to (not including) `next_sequence` were read: `records` records
  // travel in batch `batch` (0 when none do), `rejected` rows were reported
  // by the producer itself. `cursor` is the source's Cursor() after them.
  void Read(uint64_t batch, uint64_t records, uint64_t rejected, uint64_t next_sequence,
            std::string cursor);

  // `count` records of batch `batch` met `fate`.
  void Settle(uint64_t batch, RecordFate fate, uint64_t count);

  // The current checkpoint, and whether it moved since the last call.
  Checkpoint Current() const;
  std::optional<Checkpoint> TakeIfAdvanced();

 private:
  struct Stretch {
    uint64_t batch = 0;
    uint64_t unsettled = 0;
    uint64_t next_sequence = 0;
    std::string cursor;
    RowTally tally;
  };
  // Caller holds mutex_.
  void Advance();

  mutable std::mutex mutex_;
  Checkpoint checkpoint_;
  bool advanced_ = false;
  std::deque<Stretch> pending_;  // in source order
  uint64_t first_pending_ = 0;   // index of pending_.front() among all stretches read
  std::unordered_map<uint64_t, uint64_t> stretch_of_batch_;
};

}  // namespace skyflow
