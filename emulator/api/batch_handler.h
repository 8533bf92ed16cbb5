// BatchHandler: the batch endpoint, `POST /v1/vaults/{vaultID}` (spec
// section 2), once routing, authentication and fault injection have let the
// request through. Each record names its table ("tableName") and method
// (only "POST", an insert, is supported); "byot" and "continueOnError" apply
// to the whole batch, "tokenization" and "upsert" to one record, with the
// per-table insert's rules and messages.
//
// With "continueOnError": true every record is inserted on its own and
// answered in place, responses[i] for records[i]:
//   {"vaultID":"v","responses":[{"Status":200,"Body":{"records":[{...}]}},
//                               {"Status":409,"Body":{"error":"..."}}]}
// HTTP 207 when any record failed, 200 otherwise.
// Without it the batch is all-or-nothing across every table it names: the
// records of each table form one insert, all of them are checked with the
// tables locked, then all are written; success entries are bare,
//   {"vaultID":"v","responses":[{"records":[{...}]}]}
// and a failure is one whole-request error. Records of one table must then
// share their "upsert" setting (one insert has one upsert column).
// One handler per worker thread; not synchronised; the store is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/api/batch_request_parser.h"
#include "emulator/api/insert_handler.h"
#include "emulator/common/random.h"
#include "emulator/http/http_response.h"
#include "emulator/store/insert_request.h"
#include "emulator/store/vault_store.h"
#include "util/json_writer.h"

namespace skyflow::emulator {

class BatchHandler {
 public:
  // The per-table insert's limits and conflict status apply unchanged.
  using Options = InsertHandler::Options;

  BatchHandler(VaultStore* store, Options options, uint64_t seed,
               TokenFormat token_format = TokenFormat());

  void Handle(std::string_view vault_id, std::string_view body, HttpResponse* response);

  // Handle's two halves, so that a records/s limit can look at a parsed
  // batch before it is applied (as InsertHandler's).
  bool Parse(std::string_view vault_id, std::string_view body, HttpResponse* response);
  uint64_t record_count() const { return batch_.records.size(); }
  // True when any record was stored (a continueOnError batch whose every
  // record failed answers 207 but stored nothing).
  bool Apply(std::string_view vault_id, HttpResponse* response);

 private:
  // continueOnError: each record alone. True when any record was stored.
  bool InsertEach(std::string_view vault_id, HttpResponse* response);
  // All-or-nothing.
  void InsertTogether(std::string_view vault_id, HttpResponse* response);
  // Groups the batch's records by table into requests_ (tables_[g] gets
  // requests_[g]); fills group_ and slot_.
  Status GroupByTable(size_t* group_count);
  // Record `record` alone, as requests_[0].
  Status InsertOne(std::string_view vault_id, uint32_t record);
  void WriteError(const Status& status, HttpResponse* response) const;
  void BeginResponse(std::string_view vault_id, HttpResponse* response, JsonWriter* json) const;

  VaultStore* store_;
  Options options_;
  Random random_;
  BatchRequestParser parser_;
  BatchRequest batch_;
  // Grown, never shrunk, so a warm worker reuses their capacity. Views into
  // a request's generated tokens would not survive the vector moving it, so
  // it only grows before any request is completed.
  std::vector<InsertRequest> requests_;
  std::vector<InsertResult> results_;
  std::vector<std::string_view> tables_;
  std::vector<uint32_t> group_;  // per batch record: its index in requests_
  std::vector<uint32_t> slot_;   // per batch record: its index in its request
};

}  // namespace skyflow::emulator
