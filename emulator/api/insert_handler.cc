#include "emulator/api/insert_handler.h"

#include "emulator/api/insert_response.h"
#include "util/json_writer.h"

namespace skyflow::emulator {

InsertHandler::InsertHandler(VaultStore* store, Options options, uint64_t seed,
                             TokenFormat token_format)
    : store_(store),
      options_(options),
      random_(seed),
      parser_(InsertRequestParser::Limits{options.max_records_per_request},
              std::move(token_format)) {}

void InsertHandler::Handle(std::string_view vault_id, std::string_view table, std::string_view body,
                           HttpResponse* response) {
  if (Parse(body, response)) Apply(vault_id, table, response);
}

bool InsertHandler::Parse(std::string_view body, HttpResponse* response) {
  const Status status = parser_.Parse(body, &random_, &request_);
  if (status.ok()) return true;
  WriteInsertError(status, options_.conflict_status, response);
  return false;
}

void InsertHandler::Apply(std::string_view vault_id, std::string_view table,
                          HttpResponse* response) {
  const Status status = store_->Insert(vault_id, table, request_, &random_, &result_);
  if (!status.ok()) {
    WriteInsertError(status, options_.conflict_status, response);
    return;
  }

  response->status = 200;
  // About 80 bytes per record with tokens; reserving once per worker saves
  // the string's doublings on the first large batches.
  response->body.reserve(request_.records.size() * 96);
  JsonWriter json(&response->body);
  json.BeginObject().Key("records").BeginArray();
  for (uint32_t r = 0; r < result_.record_count(); ++r) {
    WriteInsertedRecord(request_, result_, r, request_.tokenization, &json);
  }
  json.EndArray().EndObject();
}

}  // namespace skyflow::emulator
