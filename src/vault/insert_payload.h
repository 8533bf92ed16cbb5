// The request of the vault's per-table insert endpoint,
// POST {vault_url}/v1/vaults/{vaultID}/{table}, with BYOT tokens:
//   {"records":[{"fields":{"<col>":"<value>"},"tokens":{"<col>":"<token>"}}],
//    "tokenization":true,"byot":"ENABLE"[,"upsert":"<col>"]}
// The payload is encoded once per batch, off the network thread. Values and
// tokens must be valid UTF-8 (the batcher rejects the others first).
// Pure functions; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "source/record.h"

namespace skyflow {

struct InsertOptions {
  std::string column;   // receives each record's value and token
  bool upsert = false;  // update the record holding the same value instead of failing
};

// Appends the JSON body for `records` to `out`.
void EncodeInsertPayload(const InsertOptions& options, std::span<const Record> records,
                         std::string* out);

// {vault_url}/v1/vaults/{vault_id}/{table}, with the path segments
// percent-encoded and a trailing slash of vault_url tolerated.
std::string InsertUrl(std::string_view vault_url, std::string_view vault_id,
                      std::string_view table);

}  // namespace skyflow
