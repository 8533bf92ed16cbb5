#include "vault/insert_payload.h"

#include "util/json_writer.h"

namespace skyflow {
namespace {

void AppendPathSegment(std::string* out, std::string_view segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : segment) {
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

}  // namespace

void EncodeInsertPayload(const InsertOptions& options, std::span<const Record> records,
                         std::string* out) {
  // Roughly: fixed overhead per record plus value, token and column twice.
  out->reserve(out->size() + 64 + records.size() * (48 + 2 * options.column.size() + 2 * 40));
  JsonWriter json(out);
  json.BeginObject().Key("records").BeginArray();
  for (const Record& record : records) {
    json.BeginObject();
    json.Key("fields").BeginObject().Field(options.column, record.value).EndObject();
    json.Key("tokens").BeginObject().Field(options.column, record.token).EndObject();
    json.EndObject();
  }
  json.EndArray();
  json.Field("tokenization", true).Field("byot", "ENABLE");
  if (options.upsert) json.Field("upsert", options.column);
  json.EndObject();
}

std::string InsertUrl(std::string_view vault_url, std::string_view vault_id,
                      std::string_view table) {
  while (!vault_url.empty() && vault_url.back() == '/')
    vault_url.remove_suffix(1);
  std::string url(vault_url);
  url.append("/v1/vaults/");
  AppendPathSegment(&url, vault_id);
  url.push_back('/');
  AppendPathSegment(&url, table);
  return url;
}

}  // namespace skyflow
