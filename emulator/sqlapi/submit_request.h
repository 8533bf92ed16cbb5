// SubmitRequest: the body of POST /api/v2/statements, parsed.
//
//   {"statement": "SELECT ...", "timeout": 60, "database": "DB",
//    "schema": "S", "warehouse": "WH", "role": "R",
//    "bindings": {"1": {"type": "TEXT", "value": "x"}, ...},
//    "parameters": {...}}
//
// Only `statement` is required. Bindings are positional ("1".."n", each
// given once); their values (strings, numbers, booleans or null) are kept
// as text, which PostgreSQL converts to the type the statement needs; array
// values (multi-row binds) are refused. `warehouse`, `role` and
// `parameters` are accepted and ignored: PostgreSQL has no warehouses, and
// roles are the DSN's. Errors are kInvalidArgument naming the field.
// Value type; the parser is the caller's (one per worker).
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace skyflow::emulator::sqlapi {

struct SubmitRequest {
  std::string statement;
  int64_t timeout_seconds = 0;  // 0: no limit
  std::string database;
  std::string schema;
  std::vector<std::optional<std::string>> bindings;  // $1.. in order; nullopt: NULL
};

Result<SubmitRequest> ParseSubmitRequest(std::string_view body, simdjson::dom::parser* parser);

}  // namespace skyflow::emulator::sqlapi
