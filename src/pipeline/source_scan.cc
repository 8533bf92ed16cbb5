#include "pipeline/source_scan.h"

#include "pipeline/batcher.h"

namespace skyflow {

Result<SourceScan> ScanSource(RecordSource* source, uint64_t max_rows, size_t batch_size) {
  BatcherOptions options;
  options.batch_size = batch_size;
  options.max_rows = max_rows;
  Batcher batcher(source, options);
  SourceScan scan;
  Batch batch;
  std::vector<RejectedRow> rejected;
  bool done = false;
  while (!done) {
    rejected.clear();
    SKYFLOW_RETURN_IF_ERROR(batcher.Next(&batch, &rejected, &done));
    scan.rejected += rejected.size();
    scan.records += batch.records.size();
    for (const Record& record : batch.records)
      scan.digest.Add(record.value, record.token);
  }
  scan.rows = batcher.rows_read();
  scan.stopped_at_limit = batcher.stopped_at_limit();
  return scan;
}

}  // namespace skyflow
