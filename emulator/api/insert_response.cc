#include "emulator/api/insert_response.h"

#include "emulator/api/api_error.h"
#include "emulator/common/uuid.h"

namespace skyflow::emulator {

void WriteInsertError(const Status& status, int conflict_status, HttpResponse* response) {
  WriteApiError(HttpStatusFor(status, conflict_status),
                status.code() == StatusCode::kNotFound ? status.message()
                                                       : "Insert failed. " + status.message(),
                response);
}

void WriteInsertedRecord(const InsertRequest& request, const InsertResult& result, uint32_t record,
                         bool tokenization, JsonWriter* json) {
  // A UUID never needs escaping: it goes in quoted, through Raw.
  char quoted_id[kUuidTextSize + 2];
  quoted_id[0] = quoted_id[kUuidTextSize + 1] = '"';
  json->BeginObject();
  FormatUuid(result.id(record), quoted_id + 1);
  json->Key("skyflow_id").Raw(std::string_view(quoted_id, sizeof(quoted_id)));
  if (tokenization) {
    const InsertRecord& fields = request.records[record];
    json->Key("tokens").BeginObject();
    for (uint32_t i = 0; i < fields.field_count; ++i) {
      const uint32_t field = fields.first_field + i;
      json->Key(request.fields[field].column);
      json->String(result.token(field));
    }
    json->EndObject();
  }
  json->EndObject();
}

}  // namespace skyflow::emulator
