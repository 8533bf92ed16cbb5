// How the insert endpoints answer for one inserted record (spec sections 1
// and 2): {"skyflow_id":"<uuid>","tokens":{"<column>":"<token>"}}, "tokens"
// only with tokenization. The per-table insert writes one per request
// record; the batch endpoint one per batch record. And how both answer a
// failed insert. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "emulator/http/http_response.h"
#include "emulator/store/insert_request.h"
#include "emulator/store/vault_table.h"
#include "util/json_writer.h"
#include "util/status.h"

namespace skyflow::emulator {

// Writes the object answering request record `record`, whose outcome is
// result record `record` and whose tokens are result tokens in request field
// order.
// Answers a failed insert in the API's error shape, with the status of
// `status` (a uniqueness violation gets `conflict_status`) and the message
// "Insert failed. <reason>", except for an unknown vault or table, whose
// reason already reads "Invalid request. ..." as the API's does (spec
// section 3).
void WriteInsertError(const Status& status, int conflict_status, HttpResponse* response);

void WriteInsertedRecord(const InsertRequest& request, const InsertResult& result, uint32_t record,
                         bool tokenization, JsonWriter* json);

}  // namespace skyflow::emulator
