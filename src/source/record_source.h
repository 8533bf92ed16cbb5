// RecordSource: where records come from, one vault's worth at a time.
//
// Contract: records come out in a deterministic order, numbered by sequence
// from 0 without gaps (rejected rows take a sequence number too, so that a
// position is the same however rows are classified). The one exception is
// ErrorLogSource, whose numbers are positions in the log and skip the
// entries it does not resend. A source streams: it
// holds at most one chunk's rows in memory, never the whole input.
// A source is used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "source/record.h"
#include "util/status.h"

namespace skyflow {

// What one call to RecordSource::Next produced.
struct SourceChunk {
  std::vector<Record> records;
  std::vector<RejectedRow> rejected;
  bool end_of_input = false;

  size_t rows() const { return records.size() + rejected.size(); }
  void Clear() {
    records.clear();
    rejected.clear();
    end_of_input = false;
  }
};

class RecordSource {
 public:
  virtual ~RecordSource() = default;

  // Reads up to `max_rows` rows (records plus rejected rows) into `chunk`,
  // which the caller has cleared. Sets chunk->end_of_input when the input is
  // exhausted (the chunk may still hold rows then). A non-ok Status ends the
  // source: the input cannot be read further (an I/O error, a malformed file,
  // data and token files of different lengths); its message names the file
  // and line. Rows read before such an error are returned first, with an ok
  // Status; the error comes with the next call.
  virtual Status Next(size_t max_rows, SourceChunk* chunk) = 0;

  // Human-readable description for progress lines and summaries.
  virtual std::string Describe() const = 0;

  // What a record's origin_line counts in, for messages and reject files:
  // origins read "<label>:<line>" ("data/name_data.csv:17"). Later stages
  // are given the label once, so records need not carry it.
  virtual std::string OriginLabel() const { return Describe() + " row"; }
};

}  // namespace skyflow
