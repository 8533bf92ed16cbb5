// ResultPartitions: a statement's rows encoded once, as the jsonv2 text the
// SQL API answers, cut into partitions of growing size.
//
// Partition 0 holds `first_rows` rows, each next one twice as many as the one
// before, up to `max_rows` (Snowflake's partitions also grow as a result goes
// on; a client must not assume equal sizes). A partition is kept as its
// "data" array text ("[[\"a\",null],[\"b\",\"c\"]]"), so serving it costs a
// copy, not an encoding; its uncompressedSize is that text's length.
//
// Cells are JSON strings or null; the text of a cell is written as given
// (column_types.h converts PostgreSQL's text first). Value type; not
// synchronised: one executor thread builds it, then it is shared read-only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace skyflow::emulator::sqlapi {

struct PartitionSizing {
  uint64_t first_rows = 1000;
  uint64_t max_rows = 100000;
};

// The most rows partition `index` holds: first_rows * 2^index, capped at
// max_rows (and never below 1).
uint64_t PartitionRowLimit(const PartitionSizing& sizing, size_t index);

struct Partition {
  std::string data;  // the JSON array of rows
  uint64_t row_count = 0;
};

class ResultPartitionsBuilder {
 public:
  explicit ResultPartitionsBuilder(PartitionSizing sizing) : sizing_(sizing) {}

  void BeginRow();
  void AddCell(std::string_view text);  // escaped here
  void AddNull();
  void EndRow();

  uint64_t rows() const { return rows_; }
  // Closes the last partition. A result without rows has one empty
  // partition ("data": []), as Snowflake answers.
  std::vector<Partition> Finish();

 private:
  void BeforeCell();

  PartitionSizing sizing_;
  std::vector<Partition> partitions_;
  uint64_t rows_ = 0;
  bool row_has_cell_ = false;
};

}  // namespace skyflow::emulator::sqlapi
