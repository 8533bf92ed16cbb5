// InsertRequest: a per-table insert request (spec section 1) after parsing,
// validation and preparation, ready for VaultTable::Insert.
//
// Strings are views into the parser that produced the request (simdjson's
// string buffer) or into `generated_tokens`; they are valid until that parser
// parses the next body. Everything that does not depend on what the table
// already holds is done before the table's lock is taken: generated tokens,
// hashes, duplicate checks within the request, and the digest of the pairs
// the request adds. The batch endpoint (spec section 2) builds one per table
// from the records of its body. A worker reuses one InsertRequest for every request, so
// the vectors keep their capacity. Not synchronised.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/common/token_format.h"
#include "util/pair_digest.h"

namespace skyflow::emulator {

enum class ByotMode { kDisable, kEnable, kEnableStrict };

struct InsertField {
  std::string_view column;
  std::string_view value;
  // As supplied in "tokens", or generated when the request gave none.
  std::string_view token;
  uint32_t record = 0;       // index of the request record that holds it
  uint32_t column_slot = 0;  // index into InsertRequest::columns
  uint32_t value_hash = 0;   // StringIndex::Hash(value)
  uint32_t token_hash = 0;   // StringIndex::Hash(token)
  bool token_supplied = false;
};

struct InsertRecord {
  uint32_t first_field = 0;  // into InsertRequest::fields
  uint32_t field_count = 0;
  // With upsert: the field holding the upsert column, and the first record
  // of the request with the same upsert value (itself if none came before);
  // a later record with the same value updates what that one wrote.
  uint32_t upsert_field = 0;
  uint32_t upsert_leader = 0;
  // Its index in the body's "records", for messages: the same as its index
  // here, except where the batch endpoint groups a body's records by table.
  uint32_t label = 0;
};

// "records[7]": how messages name record 7 of a request's "records".
inline std::string RecordLabel(uint32_t index) {
  return "records[" + std::to_string(index) + "]";
}

struct InsertRequest {
  std::vector<InsertRecord> records;
  std::vector<InsertField> fields;
  std::vector<std::string_view> columns;  // distinct column names, first seen first

  bool tokenization = false;
  ByotMode byot = ByotMode::kDisable;
  bool homogeneous = false;
  std::string_view upsert_column;  // empty without upsert

  // The format of generated tokens (the table draws replacements in it), and
  // their backing store (token_format->size() bytes each), reserved up front
  // so the views into it stay valid. Never null once parsed.
  const TokenFormat* token_format = nullptr;
  std::string generated_tokens;
  // PairDigest of every field's (value, token) as if every record were new;
  // the table corrects it for upserts that update or keep a pair.
  PairDigest added_pairs;

  bool upsert() const { return !upsert_column.empty(); }

  // How messages name request record `record`: by its label.
  std::string RecordLabel(uint32_t record) const {
    return emulator::RecordLabel(records[record].label);
  }

  void Clear() {
    records.clear();
    fields.clear();
    columns.clear();
    tokenization = false;
    byot = ByotMode::kDisable;
    homogeneous = false;
    upsert_column = {};
    generated_tokens.clear();
    added_pairs = PairDigest();
  }
};

}  // namespace skyflow::emulator
