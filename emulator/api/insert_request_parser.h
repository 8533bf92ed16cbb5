// InsertRequestParser: turns the body of a per-table insert
// (`POST /v1/vaults/{vaultID}/{table}`, spec section 1) into an
// InsertRequest, or into the Status that answers it.
//
// It parses with simdjson's DOM parser (run-time CPU dispatch picks its
// fastest kernel; On-Demand would be compiled for the baseline CPU only),
// checks every rule that does not depend
// on what the table holds (byot modes, tokens without fields, homogeneous
// with upsert, the record limit, duplicate tokens within the request) and
// prepares what the table would otherwise do under its lock (generated
// tokens, hashes, the digest of the new pairs). Error statuses:
// kParseError (malformed JSON, 400), kInvalidArgument (400) and kConflict (a
// token repeated within the request: the uniqueness violation). Messages name
// the record and column, never a value or token (a short snippet of the
// body's bytes at a JSON syntax error is the exception).
// The batch endpoint (spec section 2) applies the same rules with the same
// messages through the building blocks below: ParseDocument, then
// ParseOption / ParseRecord per member, then Complete.
// One parser per worker thread; not synchronised. The views in the request
// it fills stay valid until its next Parse or ParseDocument.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emulator/common/random.h"
#include "emulator/common/token_format.h"
#include "emulator/store/insert_request.h"
#include "emulator/store/string_index.h"
#include "util/status.h"

namespace skyflow::emulator {

class InsertRequestParser {
 public:
  struct Limits {
    uint64_t max_records = 0;  // 0: unlimited
  };

  // `token_format` shapes the tokens generated for fields without one.
  explicit InsertRequestParser(Limits limits, TokenFormat token_format = TokenFormat())
      : limits_(limits), token_format_(std::move(token_format)) {}

  // `random` supplies the tokens generated for fields without one.
  Status Parse(std::string_view body, Random* random, InsertRequest* out);

  // Parses `body` into a document that lives until the next call (400s for
  // an empty body or malformed JSON, saying where).
  Status ParseDocument(std::string_view body, simdjson::dom::element* root);
  // The body's "records" member: an array (seen once: `seen` tracks it)
  // within the record limit (--max-records-per-request).
  Status ReadRecordsMember(simdjson::dom::element value, bool* seen,
                           simdjson::dom::array* records) const;
  // 400 unless the body had at least one record.
  static Status RequireRecords(size_t count);
  // Applies one request option ("tokenization", "homogeneous", "byot",
  // "upsert") to `out`; other keys are left alone.
  static Status ParseOption(std::string_view key, simdjson::dom::element value, InsertRequest* out);
  // Appends one record object ("fields", "tokens"; other keys are left
  // alone) to `out`; `label` is its index in the body, for messages.
  Status ParseRecord(simdjson::dom::element value, uint32_t label, InsertRequest* out);
  // Once every record is in: the rules across records, generated tokens,
  // hashes and duplicate checks.
  Status Complete(Random* random, InsertRequest* out);

 private:
  Status ParseTopLevel(simdjson::dom::element root, InsertRequest* out);
  Status CheckRecordCount(size_t count) const;
  Status CheckRules(InsertRequest* out);
  Status Prepare(Random* random, InsertRequest* out);
  // Malformed JSON: simdjson's reason, and where in the body it went wrong.
  Status MalformedJson(simdjson::error_code error) const;

  Limits limits_;
  TokenFormat token_format_;
  simdjson::dom::parser parser_;
  std::string padded_;  // the body plus simdjson's padding
  size_t body_size_ = 0;
  std::vector<std::pair<std::string_view, std::string_view>> record_tokens_;
  std::vector<bool> column_seen_;
  StringIndex column_index_;
  StringIndex token_index_;
  StringIndex upsert_index_;
};

}  // namespace skyflow::emulator
