#include "vault/insert_payload.h"

#include "util/json_writer.h"

namespace skyflow {
namespace {

void AppendRecordFields(JsonWriter& json, const std::string& column, const Record& record) {
  json.Key("fields").BeginObject().Field(column, record.value).EndObject();
  json.Key("tokens").BeginObject().Field(column, record.token).EndObject();
}

}  // namespace

void AppendPercentEncoded(std::string* out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '_' ||
                            byte == '.' || byte == '~';
    if (unreserved) {
      out->push_back(c);
    } else {
      out->push_back('%');
      out->push_back(kHex[byte >> 4]);
      out->push_back(kHex[byte & 0xF]);
    }
  }
}

void EncodeInsertPayload(const InsertOptions& options, std::span<const Record> records,
                         std::string* out) {
  // Roughly: fixed overhead per record plus value, token and column twice.
  out->reserve(out->size() + 64 + records.size() * (80 + 2 * options.column.size() + 2 * 40));
  JsonWriter json(out);
  json.BeginObject().Key("records").BeginArray();
  for (const Record& record : records) {
    json.BeginObject();
    if (options.api == InsertApi::kBatch) {
      json.Field("tableName", options.table).Field("method", "POST");
    }
    AppendRecordFields(json, options.column, record);
    if (options.api == InsertApi::kBatch) {
      json.Field("tokenization", true);
      if (options.upsert) json.Field("upsert", options.column);
    }
    json.EndObject();
  }
  json.EndArray();
  if (options.api == InsertApi::kBatch) {
    json.Field("continueOnError", true).Field("byot", "ENABLE");
  } else {
    json.Field("tokenization", true).Field("byot", "ENABLE");
    if (options.upsert) json.Field("upsert", options.column);
  }
  json.EndObject();
}

std::string VaultUrl(std::string_view vault_url, std::string_view vault_id,
                     std::string_view table) {
  while (!vault_url.empty() && vault_url.back() == '/')
    vault_url.remove_suffix(1);
  std::string url(vault_url);
  url.append("/v1/vaults/");
  AppendPercentEncoded(&url, vault_id);
  if (!table.empty()) {
    url.push_back('/');
    AppendPercentEncoded(&url, table);
  }
  return url;
}

std::string InsertUrl(std::string_view vault_url, std::string_view vault_id,
                      const InsertOptions& options) {
  return VaultUrl(vault_url, vault_id,
                  options.api == InsertApi::kBatch ? std::string_view() : options.table);
}

}  // namespace skyflow
