// InsertHandler: the per-table insert endpoint,
// `POST /v1/vaults/{vaultID}/{table}` (spec section 1), once routing,
// authentication and fault injection have let the request through.
//
// Parses and checks the body (InsertRequestParser), applies it to the table
// all-or-nothing (VaultStore), and answers
//   200 {"records":[{"skyflow_id":"<uuid>","tokens":{"<column>":"<token>"}}]}
// ("tokens" only with "tokenization": true; records[i] answers request
// record i), or an error in the API's shape. One handler per worker thread:
// it keeps the parser, request, result and random generator, so a warm
// worker allocates almost nothing per request. Not synchronised; the store
// is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "emulator/api/insert_request_parser.h"
#include "emulator/common/random.h"
#include "emulator/common/token_format.h"
#include "emulator/http/http_response.h"
#include "emulator/store/insert_request.h"
#include "emulator/store/vault_store.h"

namespace skyflow::emulator {

class InsertHandler {
 public:
  struct Options {
    uint64_t max_records_per_request = 0;  // 0: unlimited
    int conflict_status = 409;
  };

  // `token_format` shapes the tokens generated for fields without one.
  InsertHandler(VaultStore* store, Options options, uint64_t seed,
                TokenFormat token_format = TokenFormat());

  // Parse, then Apply.
  void Handle(std::string_view vault_id, std::string_view table, std::string_view body,
              HttpResponse* response);

  // The two halves, so that a records/s limit can look at a parsed request
  // before it is applied. Parse answers 400 and returns false for a bad
  // body; Apply writes the parsed request to the table and answers.
  bool Parse(std::string_view body, HttpResponse* response);
  uint64_t record_count() const { return request_.records.size(); }
  void Apply(std::string_view vault_id, std::string_view table, HttpResponse* response);

 private:
  VaultStore* store_;
  Options options_;
  Random random_;
  InsertRequestParser parser_;
  InsertRequest request_;
  InsertResult result_;
};

}  // namespace skyflow::emulator
