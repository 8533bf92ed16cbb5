#include "snowflake/result_rows.h"

#include <simdjson.h>

#include "util/printable_text.h"

namespace skyflow::snowflake {

std::optional<std::string_view> RowBlock::Cell(size_t row, size_t column) const {
  const CellSpan& cell = cells_[row * column_count_ + column];
  if (cell.size == kNullSize) return std::nullopt;
  return std::string_view(text_).substr(cell.offset, cell.size);
}

void RowBlock::Reserve(size_t cells, size_t text_bytes) {
  cells_.reserve(cells);
  text_.reserve(text_bytes);
}

void RowBlock::AddCell(std::string_view text) {
  cells_.push_back(CellSpan{text_.size(), text.size()});
  text_.append(text);
  ++open_cells_;
}

void RowBlock::AddNull() {
  cells_.push_back(CellSpan{text_.size(), kNullSize});
  ++open_cells_;
}

Status RowBlock::EndRow(std::string_view what, size_t row_number) {
  const size_t cells = open_cells_;
  open_cells_ = 0;
  if (cells == 0) {
    return Status::ParseError(std::string(what) + " row " + std::to_string(row_number) +
                              " has no cells; a row holds one per column");
  }
  if (column_count_ == 0) column_count_ = cells;
  if (cells != column_count_) {
    cells_.resize(cells_.size() - cells);
    return Status::ParseError(std::string(what) + " row " + std::to_string(row_number) + " has " +
                              std::to_string(cells) + " cells where the rows before it have " +
                              std::to_string(column_count_));
  }
  return Status::Ok();
}

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

Status NotJson(std::string_view what, simdjson::error_code error, std::string_view body) {
  return Status::ParseError(std::string(what) + " is not JSON (" + simdjson::error_message(error) +
                            "): " + PrintablePrefix(body));
}

std::string StringField(object parent, std::string_view key) {
  std::string_view value;
  if (parent[key].get_string().get(value)) return {};
  return std::string(value);
}

// Two passes over the parsed rows: the first checks their shape and sizes
// the block, the second copies the cells into it, so the block is allocated
// once at its final size (a partition can hold tens of megabytes of text).
Status ParseRows(element data, std::string_view what, RowBlock* rows) {
  array data_rows;
  if (data.get_array().get(data_rows)) {
    return Status::ParseError(std::string(what) + ": \"data\" is not an array of rows");
  }
  size_t row_number = 0;
  size_t cell_count = 0;
  size_t text_bytes = 0;
  for (element row : data_rows) {
    array cells;
    if (row.get_array().get(cells)) {
      return Status::ParseError(std::string(what) + " row " + std::to_string(row_number) +
                                " is not an array of cells");
    }
    size_t column = 0;
    for (element cell : cells) {
      std::string_view text;
      if (!cell.is_null()) {
        if (cell.get_string().get(text)) {
          // jsonv2 sends every value as a string; anything else means the
          // format is not the one this client reads.
          return Status::ParseError(
              std::string(what) + " row " + std::to_string(row_number) + " cell " +
              std::to_string(column) +
              " is neither a string nor null: " + PrintablePrefix(simdjson::minify(cell), 60));
        }
        text_bytes += text.size();
      }
      ++column;
    }
    cell_count += column;
    ++row_number;
  }
  rows->Reserve(cell_count, text_bytes);
  row_number = 0;
  for (element row : data_rows) {
    array cells;
    if (row.get_array().get(cells)) return Status::Internal("rows changed between passes");
    for (element cell : cells) {
      std::string_view text;
      if (cell.get_string().get(text)) {
        rows->AddNull();  // the first pass let only strings and nulls through
      } else {
        rows->AddCell(text);
      }
    }
    SKYFLOW_RETURN_IF_ERROR(rows->EndRow(what, row_number));
    ++row_number;
  }
  return Status::Ok();
}

Status ParseMetadata(element meta, std::string_view what, ResultMetadata* metadata) {
  object fields;
  if (meta.get_object().get(fields)) {
    return Status::ParseError(std::string(what) + ": \"resultSetMetaData\" is not an object");
  }
  uint64_t num_rows = 0;
  if (!fields["numRows"].get_uint64().get(num_rows)) metadata->num_rows = num_rows;
  metadata->format = StringField(fields, "format");
  array columns;
  if (!fields["rowType"].get_array().get(columns)) {
    for (element column : columns) {
      object column_fields;
      if (column.get_object().get(column_fields)) {
        return Status::ParseError(std::string(what) + ": a \"rowType\" entry is not an object");
      }
      ColumnType type;
      type.name = StringField(column_fields, "name");
      type.type = StringField(column_fields, "type");
      bool nullable = true;
      if (!column_fields["nullable"].get_bool().get(nullable)) type.nullable = nullable;
      metadata->row_type.push_back(std::move(type));
    }
  }
  element partitions_element;
  if (fields["partitionInfo"].get(partitions_element)) return Status::Ok();
  array partitions;
  if (partitions_element.get_array().get(partitions)) {
    return Status::ParseError(std::string(what) + ": \"partitionInfo\" is not an array");
  }
  for (element partition : partitions) {
    uint64_t row_count = 0;
    if (partition["rowCount"].get_uint64().get(row_count)) {
      return Status::ParseError(std::string(what) + ": \"partitionInfo\" entry " +
                                std::to_string(metadata->partition_rows.size()) +
                                " has no numeric \"rowCount\"");
    }
    metadata->partition_rows.push_back(row_count);
  }
  return Status::Ok();
}

// Parses `body` (padded in place) and hands its root object to `read`.
template <typename Read>
Status WithRootObject(std::string& body, std::string_view what, Read read) {
  body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  simdjson::dom::parser parser;
  element root;
  if (auto error = parser.parse(body).get(root)) return NotJson(what, error, body);
  object fields;
  if (root.get_object().get(fields)) {
    return Status::ParseError(std::string(what) +
                              " is not a JSON object: " + PrintablePrefix(body));
  }
  return read(fields);
}

}  // namespace

StatusBody ParseStatusBody(std::string_view body) {
  StatusBody status;
  simdjson::dom::parser parser;
  element root;
  object fields;
  if (parser.parse(body.data(), body.size()).get(root) || root.get_object().get(fields)) {
    return status;
  }
  status.code = StringField(fields, "code");
  status.message = StringField(fields, "message");
  status.sql_state = StringField(fields, "sqlState");
  status.handle = StringField(fields, "statementHandle");
  return status;
}

Result<StatementResult> ParseResultSet(std::string body, std::string_view what) {
  StatementResult result;
  Status status = WithRootObject(body, what, [&](object fields) -> Status {
    element meta;
    if (!fields["resultSetMetaData"].get(meta)) {
      SKYFLOW_RETURN_IF_ERROR(ParseMetadata(meta, what, &result.metadata));
    }
    element data;
    if (fields["data"].get(data)) {
      return Status::ParseError(std::string(what) + " has no \"data\" array of rows");
    }
    SKYFLOW_RETURN_IF_ERROR(
        ParseRows(data, std::string(what) + " partition 0", &result.first_partition));
    result.handle = StringField(fields, "statementHandle");
    result.code = StringField(fields, "code");
    result.message = StringField(fields, "message");
    result.sql_state = StringField(fields, "sqlState");
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return result;
}

Result<RowBlock> ParsePartition(std::string body, std::string_view what) {
  RowBlock rows;
  Status status = WithRootObject(body, what, [&](object fields) -> Status {
    element data;
    if (fields["data"].get(data)) {
      return Status::ParseError(std::string(what) + " has no \"data\" array of rows");
    }
    return ParseRows(data, what, &rows);
  });
  if (!status.ok()) return status;
  return rows;
}

}  // namespace skyflow::snowflake
