#include "emulator/admin/export_handler.h"

#include <string>
#include <vector>

#include "emulator/api/api_error.h"
#include "emulator/api/query_string.h"
#include "emulator/api/unknown_table.h"
#include "util/csv_writer.h"
#include "util/json_writer.h"

namespace skyflow::emulator {
namespace {

enum class ExportFormat { kCsv, kJsonLines };

}  // namespace

void ExportHandler::Handle(std::string_view query, HttpResponse* response) const {
  std::vector<QueryParameter> parameters;
  if (Status status = ParseQueryString(query, &parameters); !status.ok()) {
    WriteApiError(400, status.message(), response);
    return;
  }
  std::string vault_id;
  std::string table;
  ExportFormat format = ExportFormat::kCsv;
  for (const QueryParameter& parameter : parameters) {
    if (parameter.name == "vault") {
      vault_id = parameter.value;
    } else if (parameter.name == "table") {
      table = parameter.value;
    } else if (parameter.name == "format") {
      if (parameter.value == "csv") {
        format = ExportFormat::kCsv;
      } else if (parameter.value == "jsonl") {
        format = ExportFormat::kJsonLines;
      } else {
        WriteApiError(400, "format must be csv or jsonl, got \"" + parameter.value + "\"",
                      response);
        return;
      }
    } else {
      WriteApiError(400,
                    "Unknown query parameter \"" + parameter.name +
                        "\"; the export takes vault, table and format",
                    response);
      return;
    }
  }
  if (vault_id.empty() || table.empty()) {
    WriteApiError(400,
                  "Name the table to export: /emulator/v1/export?vault=<vaultID>&table=<table>"
                  "&format=csv|jsonl",
                  response);
    return;
  }

  std::string& body = response->body;
  const bool found = store_->WithTable(vault_id, table, [&](VaultTable& stored) {
    const bool named = stored.column_count() > 1;
    if (format == ExportFormat::kCsv) {
      body.append(named ? "column,value,token\r\n" : "value,token\r\n");
      stored.ForEachPair(
          [&](std::string_view column, std::string_view value, std::string_view token) {
            if (named) {
              AppendCsvField(column, ',', &body);
              body.push_back(',');
            }
            AppendCsvField(value, ',', &body);
            body.push_back(',');
            AppendCsvField(token, ',', &body);
            body.append("\r\n");
          });
    } else {
      stored.ForEachPair(
          [&](std::string_view column, std::string_view value, std::string_view token) {
            JsonWriter json(&body);
            json.BeginObject();
            if (named) json.Field("column", column);
            json.Field("value", value).Field("token", token).EndObject();
            body.push_back('\n');
          });
    }
  });
  if (!found) {
    body.clear();
    WriteUnknownTable(*store_, vault_id, table, response);
    return;
  }
  // As for reads: the pairs exported may still await the journal's sync.
  if (Status durable = store_->MakeDurable(); !durable.ok()) {
    body.clear();
    WriteApiError(503, durable.message(), response);
    return;
  }
  response->status = 200;
  response->content_type =
      format == ExportFormat::kCsv ? "text/csv; charset=utf-8" : "application/x-ndjson";
}

}  // namespace skyflow::emulator
