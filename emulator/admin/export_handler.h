// ExportHandler: `GET /emulator/v1/export?vault=V&table=T&format=csv|jsonl`,
// the stored (value, token) pairs of one table, so a test can compare what
// the vault holds with what it loaded, exactly, byte for byte.
//
// Pairs of live records in insertion order (record by record, each record's
// columns in the order it received them). When the table has more than one
// column, each pair also names its column:
//   csv    header "value,token" (or "column,value,token"), then one row per
//          pair; RFC 4180: CRLF line ends, a field holding a comma, quote, CR
//          or LF is quoted with inner quotes doubled. Content-Type text/csv.
//   jsonl  one {"value":"...","token":"..."} (with "column" first when
//          named) per line, each line ending "\n". Content-Type
//          application/x-ndjson.
// format defaults to csv. 400 for a missing vault or table or another
// format, 404 for a table the emulator does not hold (spec error shape).
// The whole table is built in the response body (the emulator's server
// sends bodies whole): fine for the tables tests compare. An admin
// endpoint: no bearer token, no faults. Stateless apart from the shared
// store; thread-safe.
#pragma once

#include <string_view>

#include "emulator/http/http_response.h"
#include "emulator/store/vault_store.h"

namespace skyflow::emulator {

class ExportHandler {
 public:
  explicit ExportHandler(VaultStore* store) : store_(store) {}

  void Handle(std::string_view query, HttpResponse* response) const;

 private:
  VaultStore* store_;
};

}  // namespace skyflow::emulator
