// BatchRequestParser: reads the body of the batch endpoint,
// `POST /v1/vaults/{vaultID}` (spec section 2), into a BatchRequest, and
// turns its records into InsertRequests with InsertRequestParser's rules and
// messages (byot modes, tokens, upsert, the record limit), so both insert
// endpoints judge a record the same way.
//
// Whole-request problems (malformed JSON, no records, more than
// --max-records-per-request, a bad "byot" or "continueOnError") are Parse's
// Status. A problem of one record (not an object, no "tableName", a method
// other than POST, a bad "upsert" or "tokenization") is kept in that record,
// so that with continueOnError only that record fails. Its "fields" and
// "tokens" are read when it is added to an InsertRequest.
// One per worker thread; not synchronised. The views in a BatchRequest, and
// in the InsertRequests built from it, stay valid until the next Parse.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "emulator/api/insert_request_parser.h"
#include "emulator/common/random.h"
#include "emulator/store/insert_request.h"
#include "util/status.h"

namespace skyflow::emulator {

struct BatchRecord {
  std::string_view table;  // "tableName"
  bool tokenization = false;
  std::string_view upsert_column;  // empty without upsert
  simdjson::dom::element body;     // the record object
  Status problem;                  // why this record cannot be inserted; ok otherwise
};

struct BatchRequest {
  bool continue_on_error = false;
  ByotMode byot = ByotMode::kDisable;
  std::vector<BatchRecord> records;
};

class BatchRequestParser {
 public:
  explicit BatchRequestParser(InsertRequestParser::Limits limits,
                              TokenFormat token_format = TokenFormat())
      : insert_parser_(limits, std::move(token_format)) {}

  Status Parse(std::string_view body, BatchRequest* out);

  // Clears `out` and gives it the options of the batch and of record
  // `record` (byot, upsert, tokenization).
  static void Begin(const BatchRequest& batch, uint32_t record, InsertRequest* out);
  // Appends record `record`'s fields and tokens to `out`.
  Status AddRecord(const BatchRequest& batch, uint32_t record, InsertRequest* out);
  // Once every record of `out` is in (InsertRequestParser::Complete).
  Status Complete(Random* random, InsertRequest* out);

 private:
  void ParseRecord(simdjson::dom::element value, uint32_t index, BatchRecord* out);

  InsertRequestParser insert_parser_;
  InsertRequest options_;  // scratch for InsertRequestParser::ParseOption
};

}  // namespace skyflow::emulator
