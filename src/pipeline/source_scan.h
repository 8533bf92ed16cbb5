// ScanSource: reads a vault's source exactly as a load would (same limits,
// same rejections), without sending anything, and fingerprints what would be
// sent. Powers -dry-run: check the input and know in advance the record count
// and PairDigest the vault should hold after the load.
#pragma once

#include <cstdint>
#include <string>

#include "source/record_source.h"
#include "util/pair_digest.h"
#include "util/status.h"

namespace skyflow {

struct SourceScan {
  uint64_t rows = 0;
  uint64_t records = 0;
  uint64_t rejected = 0;
  PairDigest digest;
  bool stopped_at_limit = false;
};

// `max_rows` 0 = no limit. Rejected rows are counted, not written anywhere.
Result<SourceScan> ScanSource(RecordSource* source, uint64_t max_rows, size_t batch_size);

}  // namespace skyflow
