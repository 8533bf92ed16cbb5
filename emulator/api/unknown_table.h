// The answer to a read or delete on a table the emulator does not hold:
// 404, grpc 5, in the spec's wording ("Invalid request. Table name cards is
// invalid..."), saying why (without a schema, a table exists once an insert
// has written to it). Stateless; thread-safe.
#pragma once

#include <string_view>

#include "emulator/http/http_response.h"

namespace skyflow::emulator {

void WriteUnknownTable(std::string_view vault_id, std::string_view table, HttpResponse* response);

}  // namespace skyflow::emulator
