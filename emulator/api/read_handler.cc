#include "emulator/api/read_handler.h"

#include <algorithm>
#include <set>

#include "emulator/api/api_error.h"
#include "emulator/api/unknown_table.h"
#include "emulator/common/uuid.h"
#include "util/json_writer.h"

namespace skyflow::emulator {
namespace {

Status NotAColumn(std::string_view parameter, std::string_view column) {
  return Status::InvalidArgument("Invalid request. " + std::string(parameter) + " names " +
                                 std::string(column) +
                                 ", which is not a column of this table; name stored columns");
}

}  // namespace

void ReadHandler::Handle(std::string_view vault_id, std::string_view table, std::string_view query,
                         HttpResponse* response) {
  if (Status status = ParseReadRequest(query, options_.max_limit, &request_); !status.ok()) {
    WriteApiError(400, status.message(), response);
    return;
  }
  records_.clear();
  Status collected;
  const bool found =
      store_->WithTable(vault_id, table, [&](VaultTable& stored) { collected = Collect(stored); });
  if (!found) {
    WriteUnknownTable(*store_, vault_id, table, response);
    return;
  }
  // What was read may still await the journal's shared sync (--data-file):
  // report it only once a crash can no longer lose it.
  if (Status durable = store_->MakeDurable(); !durable.ok()) {
    records_.clear();
    WriteApiError(503, durable.message(), response);
    return;
  }
  if (!collected.ok()) {
    WriteApiError(400, collected.message(), response);
    return;
  }
  if (records_.empty() && options_.empty_status == 404) {
    WriteApiError(404,
                  "No Records Found in table " + std::string(table) +
                      " for this request (the emulator answers an empty read with 404; start it "
                      "with --empty-read-status 200 for an empty list)",
                  response);
    return;
  }
  WriteRecords(response);
}

Status ReadHandler::Collect(VaultTable& table) {
  for (const std::string& field : request_.fields) {
    if (!table.HasColumn(field)) return NotAColumn("fields", field);
  }
  if (!request_.skyflow_ids.empty()) {
    std::set<std::string_view> seen;
    for (const std::string& text : request_.skyflow_ids) {
      if (!seen.insert(text).second) continue;
      const std::optional<Uuid> id = ParseUuid(text);
      if (!id) continue;
      if (std::optional<StoredRecordCopy> record = table.FindById(*id)) {
        records_.push_back(std::move(*record));
      }
    }
    return Status::Ok();
  }
  if (!request_.column_name.empty()) {
    if (!table.HasColumn(request_.column_name)) {
      return NotAColumn("column_name", request_.column_name);
    }
    std::set<std::string_view> seen;
    for (const std::string& value : request_.column_values) {
      if (!seen.insert(value).second) continue;
      // A column that is not unique can hold a value many times: `limit`
      // bounds the answer as it bounds a page.
      for (StoredRecordCopy& record : table.FindByValue(request_.column_name, value)) {
        if (records_.size() == request_.limit) return Status::Ok();
        records_.push_back(std::move(record));
      }
    }
    return Status::Ok();
  }
  records_ = table.Page(request_.offset, request_.limit, request_.descending);
  return Status::Ok();
}

void ReadHandler::WriteRecords(HttpResponse* response) {
  response->status = 200;
  JsonWriter json(&response->body);
  json.BeginObject().Key("records").BeginArray();
  auto selected = [&](const std::string& column) {
    return request_.fields.empty() || std::find(request_.fields.begin(), request_.fields.end(),
                                                column) != request_.fields.end();
  };
  std::string shown;
  for (const StoredRecordCopy& record : records_) {
    json.BeginObject().Key("fields").BeginObject();
    json.Field("skyflow_id", UuidText(record.id));
    for (const StoredRecordCopy::Field& field : record.fields) {
      if (!selected(field.column)) continue;
      shown.clear();
      AppendRedacted(request_.redaction, field.value, &shown);
      json.Key(field.column);
      json.String(shown);
    }
    json.EndObject();
    if (request_.tokenization) {
      json.Key("tokens").BeginObject();
      for (const StoredRecordCopy::Field& field : record.fields) {
        if (!selected(field.column)) continue;
        json.Key(field.column);
        json.String(field.token);
      }
      json.EndObject();
    }
    json.EndObject();
  }
  json.EndArray().EndObject();
}

}  // namespace skyflow::emulator
