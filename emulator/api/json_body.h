// ParseJsonObjectBody: the first step of every endpoint whose body is a JSON
// object: parse it, check it is an object, and say which of the two failed
// in words a client can act on. Stateless; the parser is the caller's
// (reused per worker), and `object` points into it.
#pragma once

#include <simdjson.h>

#include <string_view>

#include "util/status.h"

namespace skyflow::emulator {

// kInvalidArgument "The body is not valid JSON" or "The body must be a JSON
// object".
Status ParseJsonObjectBody(simdjson::dom::parser* parser, std::string_view body,
                           simdjson::dom::object* object);

}  // namespace skyflow::emulator
