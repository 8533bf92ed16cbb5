// Batcher: turns one vault's RecordSource into ready-to-send Batches.
//
// It reads at most batch_size rows per batch and at most max_rows in all,
// sets aside the rows that cannot be sent (the source's rejects, and values
// or tokens that are not valid UTF-8 and so cannot travel in JSON), appends
// the optional uniqueness suffix, and encodes the request body. It runs on a
// producer thread so the network thread never parses or encodes.
// Not thread-safe: one batcher per producer thread.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "pipeline/batch.h"
#include "source/record_source.h"
#include "util/status.h"
#include "vault/insert_payload.h"

namespace skyflow {

struct BatcherOptions {
  size_t lane = 0;
  size_t batch_size = 300;
  uint64_t max_rows = 0;  // 0 = no limit; counts rows_before too
  // Rows read by earlier runs of a resumed load, and the batches they made:
  // the limit and the numbering go on from there.
  uint64_t rows_before = 0;
  uint64_t batches_before = 0;
  InsertOptions insert;
  // -append-suffix: "_<unix seconds>_<16 chars of [a-z0-9]>" on value and token.
  bool append_suffix = false;
  int64_t suffix_time = 0;
  uint64_t seed = 1;
  // False for readers that only look at the records (verify): the insert
  // body is then left empty.
  bool encode_body = true;
};

class Batcher {
 public:
  Batcher(RecordSource* source, const BatcherOptions& options);

  // Fills `batch` (cleared first) and appends unsendable rows to `rejected`.
  // Sets *done once the input or the row limit is exhausted; the batch may
  // hold records then, or none. A non-ok Status is the source's error.
  Status Next(Batch* batch, std::vector<RejectedRow>* rejected, bool* done);

  uint64_t rows_read() const { return rows_read_; }
  // True when max_rows stopped the read before the source was exhausted.
  bool stopped_at_limit() const { return stopped_at_limit_; }

 private:
  void AppendSuffix(Record* record);

  RecordSource* source_;
  const std::string origin_label_;
  BatcherOptions options_;
  SourceChunk chunk_;
  uint64_t rows_read_ = 0;
  uint64_t batches_made_ = 0;
  bool stopped_at_limit_ = false;
  std::mt19937_64 rng_;
};

}  // namespace skyflow
