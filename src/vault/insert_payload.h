// The request bodies of the vault's two insert endpoints, with BYOT tokens:
//   per-table  POST {vault_url}/v1/vaults/{vaultID}/{table}
//     {"records":[{"fields":{"<col>":"<value>"},"tokens":{"<col>":"<token>"}}],
//      "tokenization":true,"byot":"ENABLE"[,"upsert":"<col>"]}
//     all-or-nothing: one bad record fails the request.
//   batch      POST {vault_url}/v1/vaults/{vaultID}
//     {"records":[{"tableName":"<table>","method":"POST","fields":{...},
//      "tokens":{...},"tokenization":true[,"upsert":"<col>"]}],
//      "continueOnError":true,"byot":"ENABLE"}
//     answers each record on its own.
// A payload is encoded once per batch, off the network thread. Values and
// tokens must be valid UTF-8 (the batcher rejects the others first).
// Pure functions; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "source/record.h"

namespace skyflow {

enum class InsertApi { kTable, kBatch };

struct InsertOptions {
  std::string column;   // receives each record's value and token
  std::string table;    // the table holding `column`
  bool upsert = false;  // update the record holding the same value instead of failing
  InsertApi api = InsertApi::kTable;
};

// Appends the JSON body for `records` to `out`.
void EncodeInsertPayload(const InsertOptions& options, std::span<const Record> records,
                         std::string* out);

// The endpoint for `options.api`, with the path segments percent-encoded and
// a trailing slash of vault_url tolerated.
std::string InsertUrl(std::string_view vault_url, std::string_view vault_id,
                      const InsertOptions& options);

// {vault_url}/v1/vaults/{vault_id}[/{table}]: the vault's or a table's base.
std::string VaultUrl(std::string_view vault_url, std::string_view vault_id,
                     std::string_view table = {});

// Appends `text` percent-encoded for a URL path segment or query value.
void AppendPercentEncoded(std::string* out, std::string_view text);

}  // namespace skyflow
