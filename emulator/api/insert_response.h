// How the insert endpoints answer for one inserted record (spec sections 1
// and 2): {"skyflow_id":"<uuid>","tokens":{"<column>":"<token>"}}, "tokens"
// only with tokenization. The per-table insert writes one per request
// record; the batch endpoint one per batch record. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "emulator/store/insert_request.h"
#include "emulator/store/vault_table.h"
#include "util/json_writer.h"
#include "util/status.h"

namespace skyflow::emulator {

// Writes the object answering request record `record`, whose outcome is
// result record `record` and whose tokens are result tokens in request field
// order. `scratch` is reused to quote tokens.
// The message of a failed insert: "Insert failed. <reason>", except for an
// unknown vault or table, whose reason already reads "Invalid request. ..."
// as the API's does (spec section 3).
std::string InsertErrorMessage(const Status& status);

void WriteInsertedRecord(const InsertRequest& request, const InsertResult& result, uint32_t record,
                         bool tokenization, JsonWriter* json, std::string* scratch);

}  // namespace skyflow::emulator
