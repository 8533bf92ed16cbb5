#include "emulator/api/batch_handler.h"

#include <span>

#include "emulator/api/api_error.h"
#include "emulator/api/insert_response.h"

namespace skyflow::emulator {

BatchHandler::BatchHandler(VaultStore* store, Options options, uint64_t seed,
                           TokenFormat token_format)
    : store_(store),
      options_(options),
      random_(seed),
      parser_(InsertRequestParser::Limits{options.max_records_per_request},
              std::move(token_format)) {}

void BatchHandler::Handle(std::string_view vault_id, std::string_view body,
                          HttpResponse* response) {
  if (Parse(vault_id, body, response)) Apply(vault_id, response);
}

bool BatchHandler::Parse(std::string_view vault_id, std::string_view body, HttpResponse* response) {
  Status status = store_->CheckVault(vault_id);
  if (status.ok()) status = parser_.Parse(body, &batch_);
  if (status.ok()) return true;
  WriteError(status, response);
  return false;
}

bool BatchHandler::Apply(std::string_view vault_id, HttpResponse* response) {
  if (batch_.continue_on_error) return InsertEach(vault_id, response);
  InsertTogether(vault_id, response);
  return response->status == 200;
}

void BatchHandler::WriteError(const Status& status, HttpResponse* response) const {
  WriteInsertError(status, options_.conflict_status, response);
}

void BatchHandler::BeginResponse(std::string_view vault_id, HttpResponse* response,
                                 JsonWriter* json) const {
  response->body.reserve(batch_.records.size() * 128);
  json->BeginObject().Field("vaultID", vault_id).Key("responses").BeginArray();
}

Status BatchHandler::InsertOne(std::string_view vault_id, uint32_t record) {
  SKYFLOW_RETURN_IF_ERROR(batch_.records[record].problem);
  InsertRequest& request = requests_.front();
  BatchRequestParser::Begin(batch_, record, &request);
  SKYFLOW_RETURN_IF_ERROR(parser_.AddRecord(batch_, record, &request));
  SKYFLOW_RETURN_IF_ERROR(parser_.Complete(&random_, &request));
  // One sync for the whole batch, after the loop (InsertEach), rather than
  // one per record.
  return store_->Insert(vault_id, batch_.records[record].table, request, &random_,
                        &results_.front(), VaultStore::Durability::kDeferred);
}

bool BatchHandler::InsertEach(std::string_view vault_id, HttpResponse* response) {
  if (requests_.empty()) requests_.resize(1);
  if (results_.empty()) results_.resize(1);
  bool any_failed = false;
  bool any_stored = false;
  JsonWriter json(&response->body);
  BeginResponse(vault_id, response, &json);
  for (uint32_t r = 0; r < batch_.records.size(); ++r) {
    const Status status = InsertOne(vault_id, r);
    json.BeginObject();
    if (status.ok()) {
      any_stored = true;
      json.Field("Status", 200).Key("Body").BeginObject().Key("records").BeginArray();
      WriteInsertedRecord(requests_.front(), results_.front(), 0, batch_.records[r].tokenization,
                          &json);
      json.EndArray().EndObject();
    } else {
      any_failed = true;
      json.Field("Status", HttpStatusFor(status, options_.conflict_status));
      json.Key("Body").BeginObject().Field("error", status.message()).EndObject();
    }
    json.EndObject();
  }
  json.EndArray().EndObject();
  response->status = any_failed ? 207 : 200;
  if (const Status durable = store_->MakeDurable(); !durable.ok()) {
    response->body.clear();
    WriteError(durable, response);
  }
  return any_stored;
}

Status BatchHandler::GroupByTable(size_t* group_count) {
  const auto record_count = static_cast<uint32_t>(batch_.records.size());
  group_.resize(record_count);
  slot_.resize(record_count);
  tables_.clear();
  for (uint32_t r = 0; r < record_count; ++r) {
    const BatchRecord& record = batch_.records[r];
    SKYFLOW_RETURN_IF_ERROR(record.problem);
    // A batch names a handful of tables: a linear search beats a map.
    uint32_t group = 0;
    while (group < tables_.size() && tables_[group] != record.table)
      ++group;
    if (group == tables_.size()) {
      tables_.push_back(record.table);
      if (requests_.size() < tables_.size()) requests_.resize(tables_.size());
      BatchRequestParser::Begin(batch_, r, &requests_[group]);
    } else if (requests_[group].upsert_column != record.upsert_column) {
      const uint32_t first = requests_[group].records.front().label;
      return Status::InvalidArgument(
          RecordLabel(first) + " and " + RecordLabel(r) + " go to table " +
          std::string(record.table) +
          " with different \"upsert\" settings; without \"continueOnError\" the emulator "
          "inserts a table's records together, with one upsert column. Give them the same "
          "\"upsert\", or send \"continueOnError\": true");
    }
    group_[r] = group;
    slot_[r] = static_cast<uint32_t>(requests_[group].records.size());
    SKYFLOW_RETURN_IF_ERROR(parser_.AddRecord(batch_, r, &requests_[group]));
  }
  *group_count = tables_.size();
  return Status::Ok();
}

void BatchHandler::InsertTogether(std::string_view vault_id, HttpResponse* response) {
  size_t groups = 0;
  Status status = GroupByTable(&groups);
  for (size_t g = 0; g < groups && status.ok(); ++g)
    status = parser_.Complete(&random_, &requests_[g]);
  if (status.ok()) {
    if (results_.size() < groups) results_.resize(groups);
    status =
        store_->InsertTogether(vault_id, std::span<const std::string_view>(tables_.data(), groups),
                               std::span<const InsertRequest>(requests_.data(), groups), &random_,
                               std::span<InsertResult>(results_.data(), groups));
  }
  if (!status.ok()) {
    WriteError(status, response);
    return;
  }
  JsonWriter json(&response->body);
  BeginResponse(vault_id, response, &json);
  for (uint32_t r = 0; r < batch_.records.size(); ++r) {
    const uint32_t group = group_[r];
    json.BeginObject().Key("records").BeginArray();
    WriteInsertedRecord(requests_[group], results_[group], slot_[r], batch_.records[r].tokenization,
                        &json);
    json.EndArray().EndObject();
  }
  json.EndArray().EndObject();
  response->status = 200;
}

}  // namespace skyflow::emulator
