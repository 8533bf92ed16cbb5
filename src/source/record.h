// Record: one (value, token) pair on its way from a source to a vault.
#pragma once

#include <cstdint>
#include <string>

namespace skyflow {

struct Record {
  // Position in the source's deterministic order, starting at 0. Checkpoints,
  // shards and error logs refer to records by it.
  uint64_t sequence = 0;
  // Where the record came from, for messages: the line of the data file for
  // CSV (1-based, counting the header), 0 when the source has no lines.
  uint64_t origin_line = 0;
  std::string value;
  std::string token;
};

// "<label>:<line>", the origin of a record in messages and reject files.
inline std::string FormatOrigin(const std::string& label, uint64_t origin_line) {
  return label + ":" + std::to_string(origin_line);
}

// A row the source could read but that cannot become a record (an empty value
// or token, say). It is reported, never dropped silently.
struct RejectedRow {
  uint64_t sequence = 0;
  std::string origin;  // "data/name_data.csv:17"
  std::string reason;  // "empty value"
  std::string value;
  std::string token;
};

}  // namespace skyflow
