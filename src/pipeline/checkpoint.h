// Checkpoint: how far one vault's load has got, durably. Every row of the
// source before `next_sequence` is settled (loaded, already present, or in
// the error log); the rows from there on may or may not have been sent, and
// a resumed run sends them again, relying on replay-safe resends for those
// the vault stored before the run stopped. Plain data.
#pragma once

#include <cstdint>
#include <string>

#include "pipeline/record_fate.h"

namespace skyflow {

// What became of the rows before a checkpoint (cumulative over every run of
// the load).
struct RowTally {
  uint64_t loaded = 0;
  uint64_t already_present = 0;
  uint64_t conflicts = 0;
  uint64_t failed = 0;
  uint64_t rejected = 0;  // by the source or the batcher, never sent

  void Add(RecordFate fate, uint64_t count);
  void Add(const RowTally& other);
  uint64_t rows() const { return loaded + already_present + conflicts + failed + rejected; }
  bool operator==(const RowTally&) const = default;
};

struct Checkpoint {
  uint64_t next_sequence = 0;  // the first row not known to be settled
  std::string cursor;          // the source's Cursor() at that row
  uint64_t batches = 0;        // batches numbered so far (numbering goes on)
  RowTally tally;              // the rows before next_sequence
  bool operator==(const Checkpoint&) const = default;
};

}  // namespace skyflow
