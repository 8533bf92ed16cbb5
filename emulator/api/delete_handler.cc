#include "emulator/api/delete_handler.h"

#include "emulator/api/api_error.h"
#include "emulator/api/json_body.h"
#include "emulator/api/unknown_table.h"
#include "emulator/common/uuid.h"
#include "util/json_writer.h"

namespace skyflow::emulator {
namespace {

constexpr std::string_view kShape =
    R"(; send {"skyflow_ids":["<id>", ...]} or {"skyflow_ids":["*"]})";

Status BadBody(std::string_view problem) {
  return Status::InvalidArgument("Delete failed. " + std::string(problem) + std::string(kShape));
}

}  // namespace

Status DeleteHandler::ParseBody(std::string_view body) {
  ids_.clear();
  all_ = false;
  simdjson::dom::object object;
  if (Status status = ParseJsonObjectBody(&parser_, body, &object); !status.ok()) {
    return BadBody(status.message());
  }
  for (auto [key, value] : object) {
    if (key != "skyflow_ids") {
      return BadBody("Unknown field \"" + std::string(key) + "\"");
    }
  }
  simdjson::dom::array list;
  if (object["skyflow_ids"].get(list) != simdjson::SUCCESS) {
    return BadBody("\"skyflow_ids\" is missing or not an array");
  }
  for (simdjson::dom::element element : list) {
    std::string_view id;
    if (element.get(id) != simdjson::SUCCESS) {
      return BadBody("Every entry of \"skyflow_ids\" must be a string");
    }
    if (id == "*") {
      all_ = true;
    } else {
      ids_.emplace_back(id);
    }
  }
  if (!all_ && ids_.empty()) return BadBody("\"skyflow_ids\" is empty");
  if (all_ && !ids_.empty()) {
    return BadBody("\"*\" deletes every record and cannot be combined with ids");
  }
  return Status::Ok();
}

bool DeleteHandler::MadeDurable(HttpResponse* response) const {
  const Status status = store_->MakeDurable();
  if (status.ok()) return true;
  WriteApiError(503, status.message(), response);
  return false;
}

bool DeleteHandler::HandleBulk(std::string_view vault_id, std::string_view table,
                               std::string_view body, HttpResponse* response) {
  if (Status status = ParseBody(body); !status.ok()) {
    WriteApiError(400, status.message(), response);
    return false;
  }
  if (Status writable = store_->CheckWritable(); !writable.ok()) {
    WriteApiError(503, writable.message(), response);
    return false;
  }
  std::vector<std::string_view> deleted;
  const bool found = store_->WithTable(vault_id, table, [&](VaultTable& stored) {
    if (all_) {
      stored.DeleteAll();
      return;
    }
    for (const std::string& text : ids_) {
      const std::optional<Uuid> id = ParseUuid(text);
      if (id && stored.Delete(*id)) deleted.push_back(text);
    }
  });
  if (!found) {
    WriteUnknownTable(*store_, vault_id, table, response);
    return false;
  }
  if (!MadeDurable(response)) return false;
  response->status = 200;
  JsonWriter json(&response->body);
  json.BeginObject().Key("RecordIDResponse").BeginArray();
  if (all_) {
    json.String("*");
  } else {
    for (const std::string_view id : deleted)
      json.String(id);
  }
  json.EndArray().EndObject();
  return all_ || !deleted.empty();
}

void DeleteHandler::HandleOne(std::string_view vault_id, std::string_view table,
                              std::string_view skyflow_id, HttpResponse* response) {
  if (Status writable = store_->CheckWritable(); !writable.ok()) {
    WriteApiError(503, writable.message(), response);
    return;
  }
  bool deleted = false;
  const std::optional<Uuid> id = ParseUuid(skyflow_id);
  const bool found = store_->WithTable(
      vault_id, table, [&](VaultTable& stored) { deleted = id && stored.Delete(*id); });
  if (!found) {
    WriteUnknownTable(*store_, vault_id, table, response);
    return;
  }
  // Before either answer: a 404 may report a delete still awaiting the sync.
  if (!MadeDurable(response)) return;
  if (!deleted) {
    // The id comes from the path: UTF-8 was checked by the dispatcher.
    WriteApiError(404,
                  "No Records Found: no record of table " + std::string(table) +
                      " has skyflow_id " + std::string(skyflow_id),
                  response);
    return;
  }
  response->status = 200;
  JsonWriter json(&response->body);
  json.BeginObject().Field("skyflow_id", UuidText(*id)).Field("deleted", true).EndObject();
}

}  // namespace skyflow::emulator
