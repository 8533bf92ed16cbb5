// VectorSource: an in-memory RecordSource for pipeline tests. Rows with an
// empty value are rejected, as the CSV source rejects them; origin lines
// count from 2 (line 1 is a CSV header). Single-threaded.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "source/record_source.h"

namespace skyflow::testing {

class VectorSource : public RecordSource {
 public:
  explicit VectorSource(std::vector<std::pair<std::string, std::string>> rows)
      : rows_(std::move(rows)) {}

  Status Next(size_t max_rows, SourceChunk* chunk) override {
    while (chunk->rows() < max_rows && next_ < rows_.size()) {
      const auto& [value, token] = rows_[next_];
      if (value.empty()) {
        chunk->rejected.push_back(
            {next_, FormatOrigin(OriginLabel(), next_ + 2), "empty value", value, token});
      } else {
        chunk->records.push_back({next_, next_ + 2, value, token});
      }
      ++next_;
    }
    chunk->end_of_input = next_ == rows_.size();
    return Status::Ok();
  }
  std::string Describe() const override { return "memory"; }

 private:
  std::vector<std::pair<std::string, std::string>> rows_;
  uint64_t next_ = 0;
};

// ("v0", "t0"), ("v1", "t1"), ...
inline std::vector<std::pair<std::string, std::string>> NumberedRows(int count) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (int i = 0; i < count; ++i)
    rows.emplace_back("v" + std::to_string(i), "t" + std::to_string(i));
  return rows;
}

}  // namespace skyflow::testing
