#include "emulator/admin/admin_handler.h"

#include <string>

#include "util/json_writer.h"

namespace skyflow::emulator {

void AdminHandler::Stats(HttpResponse* response) const {
  response->status = 200;
  JsonWriter json(&response->body);
  json.BeginObject().Key("tables").BeginObject();
  for (const NamedTableStats& table : store_->Stats()) {
    json.Key(table.name).BeginObject();
    json.Field("records", table.stats.records);
    json.Field("digest", table.stats.digest.Hex());
    json.EndObject();
  }
  json.EndObject();
  json.Key("requests").BeginObject();
  json.Field("total", counters_->Total());
  json.Key("by_status").BeginObject();
  for (const auto& [status, count] : counters_->ByStatus()) {
    json.Field(std::to_string(status), count);
  }
  json.EndObject().EndObject();
  json.EndObject();
}

void AdminHandler::Reset(HttpResponse* response) const {
  store_->Reset();
  counters_->Reset();
  response->status = 200;
  JsonWriter json(&response->body);
  json.BeginObject().Field("reset", true).EndObject();
}

}  // namespace skyflow::emulator
