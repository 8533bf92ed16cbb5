// The answer to a read, delete or export on a table the store does not
// know: 404, grpc 5, in the spec's wording ("Invalid request. Table name
// cards is invalid...", or "Vault ID ... is invalid" for a vault a schema
// does not declare, as insert and detokenize answer), saying why (without a
// schema, a table exists once an insert has written to it). Stateless;
// thread-safe.
#pragma once

#include <string_view>

#include "emulator/http/http_response.h"
#include "emulator/store/vault_store.h"

namespace skyflow::emulator {

void WriteUnknownTable(const VaultStore& store, std::string_view vault_id, std::string_view table,
                       HttpResponse* response);

}  // namespace skyflow::emulator
