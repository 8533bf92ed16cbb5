// Decoding the SQL API's result bodies (format jsonv2): the full result set
// a finished statement answers with (metadata, partition 0 inline, code and
// message), a later partition's {"data":[[...],...]}, and the fields of a
// status or error body.
//
// Every jsonv2 cell is a JSON string or null. Rows are kept flat (RowBlock):
// one buffer holds every cell's bytes and one small entry per cell says where,
// so a partition of millions of short cells costs two allocations rather than
// one per cell, and NULL stays distinguishable from "".
//
// Parsing uses simdjson (DOM: the whole body is validated before any row is
// used). Functions are thread-safe (each call has its own parser); a RowBlock
// is a plain value, not synchronised.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace skyflow::snowflake {

// The rows of one partition, every row with the same number of cells.
class RowBlock {
 public:
  size_t row_count() const { return column_count_ == 0 ? 0 : cells_.size() / column_count_; }
  // 0 until the first row is added (rows of zero cells are refused).
  size_t column_count() const { return column_count_; }
  bool empty() const { return cells_.empty(); }

  // The text of a cell; nullopt for SQL NULL. The view is valid until the
  // block is changed, moved or destroyed.
  std::optional<std::string_view> Cell(size_t row, size_t column) const;

  // Bytes held (cell text and the per-cell entries), for memory accounting.
  size_t memory_bytes() const { return text_.capacity() + cells_.capacity() * sizeof(CellSpan); }

  // Building: Reserve (optional, avoids regrowth), then row by row: cells,
  // then EndRow. EndRow refuses a row whose cell
  // count differs from the first row's (or is zero); the error names the row
  // as "<what> row <row_number>".
  void Reserve(size_t cells, size_t text_bytes);
  void AddCell(std::string_view text);
  void AddNull();
  Status EndRow(std::string_view what, size_t row_number);

 private:
  struct CellSpan {
    uint64_t offset = 0;
    uint64_t size = kNullSize;
  };
  static constexpr uint64_t kNullSize = UINT64_MAX;

  std::string text_;
  std::vector<CellSpan> cells_;
  size_t column_count_ = 0;
  size_t open_cells_ = 0;  // cells added since the last EndRow
};

// One column of "rowType".
struct ColumnType {
  std::string name;
  std::string type;  // "text", "fixed", "date"...
  bool nullable = true;
};

// "resultSetMetaData".
struct ResultMetadata {
  uint64_t num_rows = 0;
  std::string format;  // "jsonv2"
  std::vector<ColumnType> row_type;
  // "partitionInfo" rowCount per partition; entry 0 is the inline "data".
  // Empty when the server sent no partitionInfo (then the inline data is the
  // whole result).
  std::vector<uint64_t> partition_rows;

  // How many partitions the result has (at least 1: the inline data).
  size_t partition_count() const { return partition_rows.empty() ? 1 : partition_rows.size(); }
};

// The body of a 200 answer to a submitted or polled statement.
struct StatementResult {
  std::string handle;  // "statementHandle"
  std::string code;    // "090001"
  std::string message;
  std::string sql_state;
  ResultMetadata metadata;
  RowBlock first_partition;  // the inline "data": partition 0
};

// One partition's rows, in the order the prefetcher hands them out.
struct Partition {
  size_t index = 0;
  RowBlock rows;
};

// code / message / sqlState / statementHandle of a 202, error or cancel
// body; fields absent or not strings stay empty, and a body that is not JSON
// gives all-empty fields (the caller then quotes the body itself).
struct StatusBody {
  std::string code;
  std::string message;
  std::string sql_state;
  std::string handle;
};
StatusBody ParseStatusBody(std::string_view body);

// A 200 result-set body. `body` is taken by value: its buffer is padded in
// place for simdjson instead of being copied. `what` names the body in errors
// ("the result of statement H"). Errors are kParseError and say what is
// malformed: not JSON, no "data" array, a row that is not an array of strings
// and nulls, rows of different widths, a partitionInfo of the wrong shape.
Result<StatementResult> ParseResultSet(std::string body, std::string_view what);

// A partition body {"data":[[...],...]} (other fields are ignored); `what`
// names the partition in errors ("partition 7 of statement H").
Result<RowBlock> ParsePartition(std::string body, std::string_view what);

}  // namespace skyflow::snowflake
