// RecordSource: where records come from, one vault's worth at a time.
//
// Contract: records come out in a deterministic order, numbered by sequence
// from 0 without gaps (rejected rows take a sequence number too, so that a
// position is the same however rows are classified). The one exception is
// ErrorLogSource, whose numbers are positions in the log and skip the
// entries it does not resend. A source streams: it
// holds at most one chunk's rows in memory, never the whole input.
// A source can resume where an earlier run stopped: Cursor() says where
// reading stands after the rows returned so far, and Resume() goes back there
// in a new process (over the same input: Identity() lets the caller check).
// A source is used by one thread at a time (Interrupt() excepted).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "source/record.h"
#include "util/status.h"

namespace skyflow {

// One thing that identifies a source's input ("data file size" = "1048576"),
// compared before resuming so that a run never resumes against other data.
struct SourceFact {
  std::string name;
  std::string value;
  bool operator==(const SourceFact&) const = default;
};

// How far a source is through its input, in its own units (bytes of a file,
// rows of a SQL result whose size the server announced): what a progress
// display needs to estimate the number of rows without counting them first.
struct SourceSize {
  uint64_t total_bytes = 0;
  uint64_t bytes_read = 0;  // through the last row returned
};

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

  // What identifies the input: file paths, sizes and modification times, or
  // a query's text.
  virtual std::vector<SourceFact> Identity() const { return {{"source", Describe()}}; }

  // Where reading stands after the rows returned so far, in the source's own
  // terms (byte offsets, say); opaque to everyone else. Empty when the source
  // can only resume by reading its rows again.
  virtual std::string Cursor() const { return {}; }

  // Makes the next row the one numbered `next_sequence`, which `cursor` (a
  // Cursor() of an earlier run over the same input, possibly empty) points
  // at. Must be called before the first Next. The default reads and drops
  // the rows before it.
  virtual Status Resume(uint64_t next_sequence, const std::string& cursor);

  // Makes a Next or Resume in progress on another thread return soon
  // (kCancelled) and stops work the source started elsewhere (a statement
  // running on a server); the source is not read after it. The only method
  // that may be called from another thread. Sources whose reads never block
  // for long need nothing here.
  virtual void Interrupt() {}

  // The input's size and how much of it the rows returned so far took, when
  // the source can tell (a regular file); nullopt otherwise. Cheap: called
  // after every chunk.
  virtual std::optional<SourceSize> SizeHint() const { return std::nullopt; }
};

}  // namespace skyflow
