// StatementRegistry: every statement the emulator was given, by handle, and
// by the requestId it was submitted with, so that a resubmission with the
// same requestId finds the statement it already started rather than running
// it again (what makes a client's retried POST safe).
//
// Statements are kept for the emulator's lifetime (Snowflake keeps results
// 24 hours; a test run is shorter). Handles are random UUIDs from the
// --seed. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "emulator/common/random.h"
#include "emulator/sqlapi/statement.h"

namespace skyflow::emulator::sqlapi {

class StatementRegistry {
 public:
  explicit StatementRegistry(uint64_t seed) : random_(seed) {}

  struct Registration {
    std::shared_ptr<Statement> statement;
    bool created = false;  // false: the requestId's earlier statement
  };
  // The statement submitted earlier with `request_id`, or a new one made by
  // `make` from a fresh handle (always new when `request_id` is empty).
  Registration Register(std::string_view request_id,
                        const std::function<std::shared_ptr<Statement>(std::string)>& make);

  std::shared_ptr<Statement> Find(std::string_view handle) const;
  std::vector<std::shared_ptr<Statement>> All() const;

 private:
  mutable std::mutex mutex_;
  Random random_;
  std::unordered_map<std::string, std::shared_ptr<Statement>> by_handle_;
  std::unordered_map<std::string, std::string> handle_by_request_id_;
};

}  // namespace skyflow::emulator::sqlapi
