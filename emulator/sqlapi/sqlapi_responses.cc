#include "emulator/sqlapi/sqlapi_responses.h"

#include <string>

#include "util/json_writer.h"

namespace skyflow::emulator::sqlapi {
namespace {

void OptionalInt(JsonWriter* json, std::string_view key, const std::optional<int64_t>& value) {
  json->Key(key);
  if (value) {
    json->Int(*value);
  } else {
    json->Null();
  }
}

}  // namespace

std::string StatementStatusUrl(std::string_view handle) {
  return "/api/v2/statements/" + std::string(handle);
}

void WriteSqlApiError(int http_status, std::string_view code, std::string_view message,
                      std::string_view sql_state, std::string_view handle, HttpResponse* response) {
  response->status = http_status;
  JsonWriter json(&response->body);
  json.BeginObject().Field("code", code).Field("message", message);
  if (!sql_state.empty()) json.Field("sqlState", sql_state);
  if (!handle.empty()) {
    json.Field("statementHandle", handle).Field("statementStatusUrl", StatementStatusUrl(handle));
  }
  json.EndObject();
}

void WriteInProgress(std::string_view handle, HttpResponse* response) {
  response->status = 202;
  JsonWriter json(&response->body);
  json.BeginObject()
      .Field("code", "333334")
      .Field("message",
             "Asynchronous execution in progress. Use provided query id to perform query "
             "monitoring and management.")
      .Field("statementHandle", handle)
      .Field("statementStatusUrl", StatementStatusUrl(handle))
      .EndObject();
}

void WriteResultSet(const Statement& statement, const StatementResult& result,
                    HttpResponse* response) {
  response->status = 200;
  std::string& body = response->body;
  body.reserve(result.partitions.front().data.size() + 1024);
  JsonWriter json(&body);
  json.BeginObject().Key("resultSetMetaData").BeginObject();
  json.Field("numRows", result.rows).Field("format", "jsonv2");
  json.Key("rowType").BeginArray();
  for (const ColumnType& column : result.columns) {
    json.BeginObject().Field("name", column.name).Field("type", column.type);
    json.Field("nullable", true);
    OptionalInt(&json, "length", column.length);
    OptionalInt(&json, "precision", column.precision);
    OptionalInt(&json, "scale", column.scale);
    OptionalInt(&json, "byteLength", column.length);
    json.Field("database", "").Field("schema", "").Field("table", "");
    json.Key("collation").Null();
    json.EndObject();
  }
  json.EndArray();
  json.Key("partitionInfo").BeginArray();
  for (const Partition& partition : result.partitions) {
    json.BeginObject()
        .Field("rowCount", partition.row_count)
        .Field("uncompressedSize", static_cast<uint64_t>(partition.data.size()))
        .EndObject();
  }
  json.EndArray().EndObject();
  json.Key("data").Raw(result.partitions.front().data);
  json.Field("code", "090001")
      .Field("sqlState", "00000")
      .Field("message", "Statement executed successfully.")
      .Field("statementHandle", statement.handle())
      .Field("statementStatusUrl", StatementStatusUrl(statement.handle()))
      .Field("createdOn", statement.created_on_ms());
  json.EndObject();
}

void WriteStatementError(const Statement& statement, const StatementError* error,
                         HttpResponse* response) {
  if (error == nullptr) {
    WriteSqlApiError(422, "000604", "SQL execution canceled", "57014", statement.handle(),
                     response);
    return;
  }
  WriteSqlApiError(error->http_status, error->code, error->message, error->sql_state,
                   statement.handle(), response);
}

void WriteCanceled(std::string_view handle, HttpResponse* response) {
  WriteSqlApiError(200, "000604", "SQL execution canceled", "57014", handle, response);
}

std::string PartitionBody(const Partition& partition) {
  std::string body;
  body.reserve(partition.data.size() + 16);
  body += "{\"data\":";
  body += partition.data;
  body += '}';
  return body;
}

}  // namespace skyflow::emulator::sqlapi
