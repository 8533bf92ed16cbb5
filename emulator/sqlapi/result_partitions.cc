#include "emulator/sqlapi/result_partitions.h"

#include <algorithm>

#include "util/json_writer.h"

namespace skyflow::emulator::sqlapi {

uint64_t PartitionRowLimit(const PartitionSizing& sizing, size_t index) {
  const uint64_t cap = std::max<uint64_t>(1, sizing.max_rows);
  uint64_t rows = std::max<uint64_t>(1, sizing.first_rows);
  for (size_t i = 0; i < index && rows < cap; ++i)
    rows *= 2;
  return std::min(rows, cap);
}

void ResultPartitionsBuilder::BeginRow() {
  if (partitions_.empty() ||
      partitions_.back().row_count >= PartitionRowLimit(sizing_, partitions_.size() - 1)) {
    if (!partitions_.empty()) partitions_.back().data.push_back(']');
    partitions_.emplace_back();
    partitions_.back().data.push_back('[');
  }
  Partition& partition = partitions_.back();
  if (partition.row_count > 0) partition.data.push_back(',');
  partition.data.push_back('[');
  row_has_cell_ = false;
}

void ResultPartitionsBuilder::BeforeCell() {
  if (row_has_cell_) partitions_.back().data.push_back(',');
  row_has_cell_ = true;
}

void ResultPartitionsBuilder::AddCell(std::string_view text) {
  BeforeCell();
  std::string& data = partitions_.back().data;
  data.push_back('"');
  AppendJsonEscaped(&data, text);
  data.push_back('"');
}

void ResultPartitionsBuilder::AddNull() {
  BeforeCell();
  partitions_.back().data.append("null");
}

void ResultPartitionsBuilder::EndRow() {
  partitions_.back().data.push_back(']');
  ++partitions_.back().row_count;
  ++rows_;
}

std::vector<Partition> ResultPartitionsBuilder::Finish() {
  if (partitions_.empty()) {
    partitions_.emplace_back();
    partitions_.back().data = "[";
  }
  partitions_.back().data.push_back(']');
  std::vector<Partition> done = std::move(partitions_);
  partitions_.clear();
  rows_ = 0;
  return done;
}

}  // namespace skyflow::emulator::sqlapi
