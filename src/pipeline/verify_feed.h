// VerifyFeed: the records of one vault's source that verify checks, in
// groups of at most kMaxLookupRecords (one detokenize request each).
//
// The source is read exactly as a load reads it, through a Batcher: the same
// row limit (max_rows, 0 = none) and the same rejections (the source's own,
// and values or tokens that are not UTF-8). Rejected rows are counted, not
// checked: a load never sent them.
//
// Every record (sample 0): streamed, memory bounded by one group.
// A sample of N: the whole source is read first into a reservoir of N
// records (util/reservoir_sampler.h; memory bounded by N records), seeded by
// (seed, lane) so that a run is reproducible and each vault draws its own
// positions; the sample then comes out in source order.
// Not thread-safe: one feed per vault, used by one thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "pipeline/batcher.h"
#include "source/record_source.h"
#include "util/status.h"

namespace skyflow {

struct VerifyFeedOptions {
  uint64_t max_rows = 0;  // 0 = no limit
  uint64_t sample = 0;    // 0 = every record
  uint64_t seed = 1;
  size_t lane = 0;  // the vault's place in the run, mixed into the seed
  // Checked between reads while a sample is drawn (which reads the whole
  // source before the first record comes out); null = never interrupted.
  const std::atomic<bool>* interrupted = nullptr;
};

class VerifyFeed {
 public:
  VerifyFeed(RecordSource* source, const VerifyFeedOptions& options);

  // Fills `group` (cleared first) with the next records to check, at most
  // kMaxLookupRecords. Sets *done at the end; the group may hold records
  // then, or none. A non-ok Status is the source's error, or kCancelled
  // when `interrupted` was set while a sample was drawn.
  Status Next(std::vector<Record>* group, bool* done);

  uint64_t rows_read() const { return batcher_.rows_read(); }
  uint64_t rejected() const { return rejected_; }
  // Records read that could be checked (rows_read - rejected); with a
  // sample, what it was drawn from.
  uint64_t eligible() const { return eligible_; }
  bool stopped_at_limit() const { return batcher_.stopped_at_limit(); }

 private:
  // Reads one batch; its records are appended to `out`.
  Status ReadBatch(std::vector<Record>* out, bool* done);
  Status DrawSample();

  VerifyFeedOptions options_;
  Batcher batcher_;
  Batch batch_;
  std::vector<RejectedRow> rejected_rows_;
  uint64_t rejected_ = 0;
  uint64_t eligible_ = 0;
  bool drawn_ = false;
  std::vector<Record> sample_;
  size_t next_in_sample_ = 0;
};

}  // namespace skyflow
