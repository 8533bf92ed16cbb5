// Query strings of the vault API's GET requests and the admin endpoints:
// "a=1&b=x%20y&b=z" into decoded (name, value) pairs, in order, repeated
// names kept (skyflow_ids and column_values are repeatable).
//
// Decoding follows application/x-www-form-urlencoded, which is what clients
// and SDKs send: "%XX" is a byte, '+' a space. Empty segments ("a=1&&b=2")
// are skipped; a segment without '=' has an empty value. Errors are
// kInvalidArgument: a '%' not followed by two hex digits, or a decoded name
// or value that is not UTF-8. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace skyflow::emulator {

struct QueryParameter {
  std::string name;
  std::string value;
};

Status ParseQueryString(std::string_view query, std::vector<QueryParameter>* out);

// One component ("x%20y+z" -> "x y z").
Status PercentDecode(std::string_view text, std::string* out);

}  // namespace skyflow::emulator
