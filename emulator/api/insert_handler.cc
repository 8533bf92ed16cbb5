#include "emulator/api/insert_handler.h"

#include "emulator/api/api_error.h"
#include "emulator/common/json_string.h"
#include "emulator/common/uuid.h"
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
  Status status = parser_.Parse(body, &random_, &request_);
  if (status.ok()) status = store_->Insert(vault_id, table, request_, &random_, &result_);
  if (!status.ok()) {
    WriteApiError(HttpStatusFor(status, options_.conflict_status),
                  "Insert failed. " + status.message(), response);
    return;
  }

  response->status = 200;
  // About 80 bytes per record with tokens; reserving once per worker saves
  // the string's doublings on the first large batches.
  response->body.reserve(request_.records.size() * 96);
  JsonWriter json(&response->body);
  json.BeginObject().Key("records").BeginArray();
  // A UUID never needs escaping: it goes in quoted, through Raw.
  char quoted_id[kUuidTextSize + 2];
  quoted_id[0] = quoted_id[kUuidTextSize + 1] = '"';
  for (size_t r = 0; r < result_.record_count(); ++r) {
    json.BeginObject();
    FormatUuid(result_.id(r), quoted_id + 1);
    json.Key("skyflow_id").Raw(std::string_view(quoted_id, sizeof(quoted_id)));
    if (request_.tokenization) {
      const InsertRecord& record = request_.records[r];
      json.Key("tokens").BeginObject();
      for (uint32_t i = 0; i < record.field_count; ++i) {
        const uint32_t field = record.first_field + i;
        json.Key(request_.fields[field].column);
        WriteJsonString(&json, result_.token(field), &scratch_);
      }
      json.EndObject();
    }
    json.EndObject();
  }
  json.EndArray().EndObject();
}

}  // namespace skyflow::emulator
