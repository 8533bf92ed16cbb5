#include "vault/record_lookup.h"

#include <simdjson.h>

#include "util/json_writer.h"
#include "vault/insert_payload.h"
#include "vault/insert_response.h"

namespace skyflow {
namespace {

Status NotJson(std::string_view body, simdjson::error_code error) {
  return Status::ParseError(std::string("lookup answer is not JSON (") +
                            simdjson::error_message(error) + "): " + PrintablePrefix(body));
}

}  // namespace

std::string DetokenizeUrl(std::string_view vault_url, std::string_view vault_id) {
  return VaultUrl(vault_url, vault_id) + "/detokenize";
}

void EncodeDetokenizePayload(std::span<const Record> records, std::string* out) {
  JsonWriter json(out);
  json.BeginObject().Key("detokenizationParameters").BeginArray();
  for (const Record& record : records) {
    json.BeginObject().Field("token", record.token).Field("redaction", "PLAIN_TEXT").EndObject();
  }
  json.EndArray().Field("continueOnError", true).EndObject();
}

Result<std::vector<std::optional<std::string>>> DecodeDetokenized(std::string_view body,
                                                                  size_t tokens_asked) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(body.data(), body.size()).get(root)) return NotJson(body, error);
  simdjson::dom::array records;
  if (root["records"].get_array().get(records)) {
    return Status::ParseError("detokenize answer has no \"records\" array: " +
                              PrintablePrefix(body));
  }
  std::vector<std::optional<std::string>> values;
  for (simdjson::dom::element record : records) {
    std::string_view value;
    simdjson::dom::element error;
    if (!record["error"].get(error) || record["value"].get_string().get(value)) {
      values.emplace_back(std::nullopt);
    } else {
      values.emplace_back(std::string(value));
    }
  }
  if (values.size() != tokens_asked) {
    return Status::ParseError("detokenize answered " + std::to_string(values.size()) +
                              " tokens for " + std::to_string(tokens_asked) + " asked");
  }
  return values;
}

std::string ValueLookupUrl(std::string_view vault_url, std::string_view vault_id,
                           std::string_view table, std::string_view column,
                           std::span<const Record> records) {
  std::string url = VaultUrl(vault_url, vault_id, table);
  url += "?column_name=";
  AppendPercentEncoded(&url, column);
  for (const Record& record : records) {
    url += "&column_values=";
    AppendPercentEncoded(&url, record.value);
  }
  url += "&redaction=PLAIN_TEXT&limit=" + std::to_string(kMaxLookupRecords);
  return url;
}

Result<std::vector<std::string>> DecodeFoundValues(std::string_view body, std::string_view column) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(body.data(), body.size()).get(root)) return NotJson(body, error);
  simdjson::dom::array records;
  if (root["records"].get_array().get(records)) {
    return Status::ParseError("read answer has no \"records\" array: " + PrintablePrefix(body));
  }
  std::vector<std::string> found;
  for (simdjson::dom::element record : records) {
    std::string_view value;
    if (!record["fields"][column].get_string().get(value)) found.emplace_back(value);
  }
  return found;
}

}  // namespace skyflow
