// Reading a table page by page and deleting its records by id, which is how
// -clear empties a vault table (the vault API spec, section 5):
//   read    GET {vault_url}/v1/vaults/{vaultID}/{table}?offset=O&limit=L&redaction=REDACTED
//           200 {"records":[{"fields":{"skyflow_id":"<id>",...}},...]}
//   delete  DELETE {vault_url}/v1/vaults/{vaultID}/{table}
//           {"skyflow_ids":["<id>",...]}, or {"skyflow_ids":["*"]} for every record
//           200 {"RecordIDResponse":["<id>",...]} (["*"] after deleting every record)
// A page is read only for its ids, so values are asked REDACTED: no plaintext
// travels. The API caps `limit` at 25. A read that finds nothing (an empty
// table, an offset past the end) is answered 200 {"records":[]} or 404 "No
// Records Found" (what the Go tool met on an empty table): both end the
// table. A 404 saying the vault or table "is invalid" does not.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace skyflow {

// The most records one page read asks for (the API's maximum `limit`).
inline constexpr size_t kMaxPageRecords = 25;

// The id that stands for every record of the table in a delete.
inline constexpr std::string_view kEveryRecordId = "*";

// GET URL of the page of `table` starting at record `offset` (0-based, live
// records in insertion order), at most `limit` records.
std::string RecordPageUrl(std::string_view vault_url, std::string_view vault_id,
                          std::string_view table, uint64_t offset, size_t limit = kMaxPageRecords);

// DELETE URL for the records of `table`.
std::string DeleteRecordsUrl(std::string_view vault_url, std::string_view vault_id,
                             std::string_view table);

// Appends {"skyflow_ids":[...]} for `skyflow_ids` to `out`; a list holding
// only kEveryRecordId deletes every record.
void EncodeDeletePayload(std::span<const std::string> skyflow_ids, std::string* out);

// The skyflow_id of each record of a 200 page answer, in order; empty when
// the page is. Fails when the answer is not JSON, has no "records" array, or
// a record has no string "fields.skyflow_id".
Result<std::vector<std::string>> DecodePageIds(std::string_view body);

// The ids a 200 delete answer lists ("RecordIDResponse"); ["*"] after a
// delete of every record. Ids no record had are left out by the vault.
Result<std::vector<std::string>> DecodeDeletedIds(std::string_view body);

// Whether a 404 to a page read means "no records here" (true) rather than
// "no such vault or table" (false), judged from its error body.
bool IsNoRecordsFound(std::string_view error_body);

}  // namespace skyflow
