// Looking records up in the vault, to learn whether a record that a
// uniqueness conflict (or a lost answer) left in doubt is already stored:
//   by token  POST {vault_url}/v1/vaults/{id}/detokenize
//             {"detokenizationParameters":[{"token":"t","redaction":"PLAIN_TEXT"}],
//              "continueOnError":true}
//             -> the value each token stands for, or a per-token error;
//   by value  GET {vault_url}/v1/vaults/{id}/{table}?column_name=C
//             &column_values=V...&redaction=PLAIN_TEXT&limit=N
//             -> the records holding those values (404 when none does).
// Both are bounded by the read limit (25 values or tokens per request).
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "source/record.h"
#include "util/status.h"

namespace skyflow {

// The most tokens or values one lookup request carries.
inline constexpr size_t kMaxLookupRecords = 25;

std::string DetokenizeUrl(std::string_view vault_url, std::string_view vault_id);
void EncodeDetokenizePayload(std::span<const Record> records, std::string* out);
// For each token asked, in order: the value it stands for, or nullopt when
// the vault does not know it. Fails when the answer does not match the
// request (another count, not JSON).
Result<std::vector<std::optional<std::string>>> DecodeDetokenized(std::string_view body,
                                                                  size_t tokens_asked);

std::string ValueLookupUrl(std::string_view vault_url, std::string_view vault_id,
                           std::string_view table, std::string_view column,
                           std::span<const Record> records);
// The values of `column` among the records found (in any order).
Result<std::vector<std::string>> DecodeFoundValues(std::string_view body, std::string_view column);

}  // namespace skyflow
