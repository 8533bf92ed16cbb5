#include "source/record_source.h"

#include <algorithm>

namespace skyflow {

Status RecordSource::Resume(uint64_t next_sequence, const std::string& /*cursor*/) {
  // Bounded memory: a chunk at a time, however far the resume point is.
  constexpr uint64_t kRowsPerRead = 4096;
  SourceChunk chunk;
  uint64_t skipped = 0;
  while (skipped < next_sequence) {
    chunk.Clear();
    SKYFLOW_RETURN_IF_ERROR(
        Next(static_cast<size_t>(std::min(kRowsPerRead, next_sequence - skipped)), &chunk));
    skipped += chunk.rows();
    if (chunk.end_of_input && skipped < next_sequence) {
      return Status::InvalidArgument(Describe() + " has only " + std::to_string(skipped) +
                                     " rows, but the run to resume had read " +
                                     std::to_string(next_sequence) +
                                     "; the input changed since the run began: start a new run");
    }
  }
  return Status::Ok();
}

}  // namespace skyflow
