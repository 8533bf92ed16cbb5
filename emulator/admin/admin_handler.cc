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
  json.EndObject();
  json.Field("unanswered", counters_->Unanswered());
  json.EndObject();
  json.Key("faults").BeginObject();
  for (int kind = 0; kind < kFaultKindCount; ++kind) {
    json.Field(FaultKindName(static_cast<FaultKind>(kind)),
               fault_counters_->injected(static_cast<FaultKind>(kind)));
  }
  json.Field("rate_limited", fault_counters_->rate_limited());
  json.Field("delayed", fault_counters_->delayed());
  json.Field("slow_read_connections", fault_counters_->slow_read_connections());
  json.EndObject();
  json.EndObject();
}

void AdminHandler::Reset(HttpResponse* response) const {
  store_->Reset();
  counters_->Reset();
  fault_counters_->Reset();
  response->status = 200;
  JsonWriter json(&response->body);
  json.BeginObject().Field("reset", true).EndObject();
}

}  // namespace skyflow::emulator
