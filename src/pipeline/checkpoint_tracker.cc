#include "pipeline/checkpoint_tracker.h"

namespace skyflow {

CheckpointTracker::CheckpointTracker(Checkpoint start) : checkpoint_(std::move(start)) {}

void CheckpointTracker::Read(uint64_t batch, uint64_t records, uint64_t rejected,
                             uint64_t next_sequence, std::string cursor) {
  std::lock_guard lock(mutex_);
  Stretch stretch;
  stretch.batch = batch;
  stretch.unsettled = records;
  stretch.next_sequence = next_sequence;
  stretch.cursor = std::move(cursor);
  stretch.tally.rejected = rejected;
  if (records > 0) stretch_of_batch_[batch] = first_pending_ + pending_.size();
  pending_.push_back(std::move(stretch));
  Advance();
}

void CheckpointTracker::Settle(uint64_t batch, RecordFate fate, uint64_t count) {
  if (fate == RecordFate::kUnsent || count == 0) return;
  std::lock_guard lock(mutex_);
  const auto found = stretch_of_batch_.find(batch);
  if (found == stretch_of_batch_.end()) return;
  Stretch& stretch = pending_[found->second - first_pending_];
  stretch.tally.Add(fate, count);
  stretch.unsettled -= std::min(count, stretch.unsettled);
  if (stretch.unsettled == 0) stretch_of_batch_.erase(found);
  Advance();
}

void CheckpointTracker::Advance() {
  while (!pending_.empty() && pending_.front().unsettled == 0) {
    Stretch& done = pending_.front();
    checkpoint_.next_sequence = done.next_sequence;
    checkpoint_.cursor = std::move(done.cursor);
    checkpoint_.batches = std::max(checkpoint_.batches, done.batch);
    checkpoint_.tally.Add(done.tally);
    advanced_ = true;
    pending_.pop_front();
    ++first_pending_;
  }
}

Checkpoint CheckpointTracker::Current() const {
  std::lock_guard lock(mutex_);
  return checkpoint_;
}

std::optional<Checkpoint> CheckpointTracker::TakeIfAdvanced() {
  std::lock_guard lock(mutex_);
  if (!advanced_) return std::nullopt;
  advanced_ = false;
  return checkpoint_;
}

}  // namespace skyflow
