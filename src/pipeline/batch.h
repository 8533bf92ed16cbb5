// Batch: up to batch-size records of one vault, with their request body
// encoded once, travelling from a producer to the dispatcher, which makes it
// an insert Task.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "source/record.h"

namespace skyflow {

struct Batch {
  size_t lane = 0;      // which vault (index in the load's vault list)
  uint64_t number = 0;  // 1-based, per vault, in source order
  std::vector<Record> records;
  std::string body;  // the insert request's JSON
};

}  // namespace skyflow
