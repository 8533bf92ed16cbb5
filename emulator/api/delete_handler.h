// DeleteHandler: the vault API's deletes (spec section 5), once routing,
// authentication and fault injection have let the request through.
//
//   DELETE /v1/vaults/{vaultID}/{table}  body {"skyflow_ids":["id1","id2"]}
//     -> 200 {"RecordIDResponse":["id1","id2"]}: the ids that were deleted,
//        in request order. Ids that no record has (never inserted, already
//        deleted, not UUID-shaped) are left out of the answer rather than
//        failing the request: the public docs do not say what the vault
//        does, and this keeps a retried delete (the first attempt applied,
//        its answer lost) from failing. ["*"] deletes every record and
//        answers {"RecordIDResponse":["*"]}, as Skyflow's SDK docs show;
//        "*" cannot be mixed with ids (400).
//   DELETE /v1/vaults/{vaultID}/{table}/{skyflow_id}
//     -> 200 {"skyflow_id":"<id>","deleted":true}, or 404 when no record of
//        the table has that id.
// Both: 404 for a table never written (unknown_table.h); body errors 400.
// Not synchronised (one per worker); the store is.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "emulator/http/http_response.h"
#include "emulator/store/vault_store.h"
#include "util/status.h"

namespace skyflow::emulator {

class DeleteHandler {
 public:
  explicit DeleteHandler(VaultStore* store) : store_(store) {}

  // True when it deleted something ("*" counts: it is journaled even on an
  // empty table).
  bool HandleBulk(std::string_view vault_id, std::string_view table, std::string_view body,
                  HttpResponse* response);
  void HandleOne(std::string_view vault_id, std::string_view table, std::string_view skyflow_id,
                 HttpResponse* response);

 private:
  // With --data-file: waits until the deletion is on disk; false, with a
  // 503 written, when it cannot be.
  bool MadeDurable(HttpResponse* response) const;
  // Fills ids_ (and all_) from the body.
  Status ParseBody(std::string_view body);

  VaultStore* store_;
  simdjson::dom::parser parser_;
  std::vector<std::string> ids_;
  bool all_ = false;
};

}  // namespace skyflow::emulator
