// Fuzz target: the SQL API's result bodies (snowflake/result_rows.h),
// ParseResultSet and ParsePartition on the same arbitrary body. Checks that:
//   - neither crashes, and a failure is a ParseError;
//   - on success, the block has as many rows as the body's "data" array
//     (read here with simdjson's own DOM), every one of the
//     row_count * column_count cells is readable, and each holds exactly that
//     row's JSON string (or is NULL for a JSON null): so every row has the
//     same number of cells, the first row's;
//   - a result set's "partitionInfo" row counts are what the body says.
// Input: the body.
// Links: skyflow_snowflake
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "snowflake/result_rows.h"

namespace skyflow {
namespace {

using snowflake::RowBlock;

void CheckError(const Status& status, std::string_view parser) {
  FUZZ_CHECK(status.code() == StatusCode::kParseError,
             std::string(parser) + ": " + fuzz::Describe(status));
}

// `rows` holds exactly the rows of `data`, the body's "data" array.
void CheckRows(const RowBlock& rows, simdjson::dom::element data, std::string_view parser) {
  simdjson::dom::array expected_rows;
  FUZZ_CHECK(!data.get_array().get(expected_rows),
             std::string(parser) + " accepted a \"data\" that is not an array");
  FUZZ_CHECK(rows.row_count() == expected_rows.size(),
             std::string(parser) + ": " + std::to_string(rows.row_count()) + " rows for " +
                 std::to_string(expected_rows.size()) + " in \"data\"");
  FUZZ_CHECK(rows.empty() == (rows.row_count() == 0), std::string(parser) + ": empty()");
  size_t row = 0;
  for (simdjson::dom::element expected_row : expected_rows) {
    simdjson::dom::array cells;
    FUZZ_CHECK(!expected_row.get_array().get(cells),
               std::string(parser) + " accepted a row that is not an array");
    FUZZ_CHECK(cells.size() == rows.column_count(),
               std::string(parser) + ": row " + std::to_string(row) + " has " +
                   std::to_string(cells.size()) + " cells, the block " +
                   std::to_string(rows.column_count()));
    size_t column = 0;
    for (simdjson::dom::element cell : cells) {
      const std::optional<std::string_view> got = rows.Cell(row, column);
      std::string_view text;
      if (cell.is_null()) {
        FUZZ_CHECK(!got.has_value(), std::string(parser) + ": a JSON null read as " +
                                         fuzz::Escaped(got.value_or("")));
      } else {
        FUZZ_CHECK(!cell.get_string().get(text),
                   std::string(parser) + " accepted a cell that is neither a string nor null");
        FUZZ_CHECK(got.has_value() && *got == text,
                   std::string(parser) + ": cell (" + std::to_string(row) + ", " +
                       std::to_string(column) + ") is " +
                       (got ? fuzz::Escaped(*got) : std::string("NULL")) + ", the body has " +
                       fuzz::Escaped(text));
      }
      ++column;
    }
    ++row;
  }
  FUZZ_CHECK(rows.memory_bytes() > 0 || rows.row_count() == 0,
             std::string(parser) + ": rows held in no memory");
}

}  // namespace
}  // namespace skyflow

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace skyflow;
  const std::string body(reinterpret_cast<const char*>(data), size);

  // The body as simdjson reads it, for the oracle.
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::element rows_element;
  const bool has_data =
      !parser.parse(body).get(root) && root.is_object() && !root["data"].get(rows_element);

  Result<snowflake::StatementResult> result = snowflake::ParseResultSet(body, "the result");
  if (result.ok()) {
    FUZZ_CHECK(has_data, "ParseResultSet accepted a body without \"data\"");
    CheckRows(result->first_partition, rows_element, "ParseResultSet");
    simdjson::dom::array partitions;
    if (!root["resultSetMetaData"]["partitionInfo"].get_array().get(partitions)) {
      FUZZ_CHECK(result->metadata.partition_rows.size() == partitions.size(),
                 "ParseResultSet: " + std::to_string(result->metadata.partition_rows.size()) +
                     " partitions for " + std::to_string(partitions.size()) +
                     " partitionInfo entries");
      size_t index = 0;
      for (simdjson::dom::element partition : partitions) {
        uint64_t count = 0;
        FUZZ_CHECK(!partition["rowCount"].get_uint64().get(count) &&
                       count == result->metadata.partition_rows[index],
                   "ParseResultSet: partitionInfo entry " + std::to_string(index));
        ++index;
      }
    } else {
      FUZZ_CHECK(result->metadata.partition_rows.empty(),
                 "ParseResultSet: partitions without a partitionInfo array");
    }
    FUZZ_CHECK(result->metadata.partition_count() >= 1, "ParseResultSet: no partition");
  } else {
    CheckError(result.status(), "ParseResultSet");
  }

  Result<snowflake::RowBlock> partition = snowflake::ParsePartition(body, "partition 1");
  if (partition.ok()) {
    FUZZ_CHECK(has_data, "ParsePartition accepted a body without \"data\"");
    CheckRows(*partition, rows_element, "ParsePartition");
  } else {
    CheckError(partition.status(), "ParsePartition");
  }
  return 0;
}
