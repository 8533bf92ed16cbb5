// ReadRequest: the query of `GET /v1/vaults/{vaultID}/{table}` (spec section
// 5) after decoding and checking, ready for ReadHandler.
//
// Parameters (URL-decoded; unknown ones are refused with 400 so a misspelt
// one is not silently ignored):
//   offset=N            live records to skip (default 0)
//   limit=N             1..max_limit records (default min(25, max_limit));
//                       more is 400 naming the maximum
//   skyflow_ids=ID      repeatable, each also comma-separated; the records
//                       with these ids, in the order given
//   column_name=C       with column_values=V (repeatable): the records whose
//                       column C holds one of the values; not with
//                       skyflow_ids (the API documents them as exclusive)
//   fields=C            repeatable or comma-separated: only these columns
//   redaction=R         PLAIN_TEXT, MASKED, REDACTED, DEFAULT (see
//                       redaction.h); default DEFAULT
//   tokenization=true   also return each field's token; the official SDKs
//                       refuse it with a redaction other than DEFAULT and
//                       with column_name, and so does the emulator (400)
//   order_by=O          ASCENDING (default), DESCENDING or NONE (=
//                       ascending), by insertion
//   downloadURL, returnFileMetadata  accepted (true/false) and ignored: the
//                       emulator stores no files
// At most max_limit skyflow_ids or column_values. Errors are
// kInvalidArgument with a message that names the parameter. Value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/api/redaction.h"
#include "util/status.h"

namespace skyflow::emulator {

struct ReadRequest {
  uint64_t offset = 0;
  uint64_t limit = 25;
  std::vector<std::string> skyflow_ids;
  std::string column_name;
  std::vector<std::string> column_values;
  std::vector<std::string> fields;  // empty: every column
  Redaction redaction = Redaction::kDefault;
  bool tokenization = false;
  bool descending = false;
};

Status ParseReadRequest(std::string_view query, uint64_t max_limit, ReadRequest* out);

}  // namespace skyflow::emulator
