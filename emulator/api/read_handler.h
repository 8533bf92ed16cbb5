// ReadHandler: `GET /v1/vaults/{vaultID}/{table}` (spec section 5), once
// routing, authentication and fault injection have let the request through.
//
// Answers 200 {"records":[{"fields":{"skyflow_id":"<id>","<col>":"<value>"},
// "tokens":{"<col>":"<token>"}}]} ("tokens" only with tokenization=true;
// values shown per the redaction; columns in the order the record received
// them, narrowed by `fields`). Which records: see read_request.h; unknown
// skyflow_ids and values that no record holds are left out. Errors: 400 for
// a bad query (read_request.h) or a field / column_name that is not a column
// of the table; 404 for a table never written (unknown_table.h). A read
// that finds no record answers `empty_status`: 404 "No Records Found" (the
// default: what the Go loader's tool met on an empty table, spec section 5,
// the only observation of the real service there is) or 200
// {"records":[]} (--empty-read-status 200). Not synchronised (one per
// worker); the store is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/api/read_request.h"
#include "emulator/http/http_response.h"
#include "emulator/store/vault_store.h"

namespace skyflow::emulator {

class ReadHandler {
 public:
  struct Options {
    uint64_t max_limit = 25;
    int empty_status = 404;  // 404 or 200
  };

  ReadHandler(VaultStore* store, Options options) : store_(store), options_(options) {}

  void Handle(std::string_view vault_id, std::string_view table, std::string_view query,
              HttpResponse* response);

 private:
  // Fills records_ from the table; an error message (400) when the request
  // names a column the table does not have.
  Status Collect(VaultTable& table);
  void WriteRecords(HttpResponse* response);

  VaultStore* store_;
  Options options_;
  ReadRequest request_;
  std::vector<StoredRecordCopy> records_;
};

}  // namespace skyflow::emulator
