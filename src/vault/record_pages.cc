#include "vault/record_pages.h"

#include <simdjson.h>

#include "util/ascii.h"
#include "util/json_writer.h"
#include "vault/insert_payload.h"
#include "vault/insert_response.h"

namespace skyflow {
namespace {

Status NotJson(std::string_view what, std::string_view body, simdjson::error_code error) {
  return Status::ParseError(std::string(what) + " is not JSON (" + simdjson::error_message(error) +
                            "): " + PrintablePrefix(body));
}

}  // namespace

std::string RecordPageUrl(std::string_view vault_url, std::string_view vault_id,
                          std::string_view table, uint64_t offset, size_t limit) {
  return VaultUrl(vault_url, vault_id, table) + "?offset=" + std::to_string(offset) +
         "&limit=" + std::to_string(limit) + "&redaction=REDACTED";
}

std::string DeleteRecordsUrl(std::string_view vault_url, std::string_view vault_id,
                             std::string_view table) {
  return VaultUrl(vault_url, vault_id, table);
}

void EncodeDeletePayload(std::span<const std::string> skyflow_ids, std::string* out) {
  JsonWriter json(out);
  json.BeginObject().Key("skyflow_ids").BeginArray();
  for (const std::string& id : skyflow_ids)
    json.String(id);
  json.EndArray().EndObject();
}

Result<std::vector<std::string>> DecodePageIds(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(body.data(), body.size()).get(root)) {
    return NotJson("read answer", body, error);
  }
  simdjson::dom::array records;
  if (root["records"].get_array().get(records)) {
    return Status::ParseError("read answer has no \"records\" array: " + PrintablePrefix(body));
  }
  std::vector<std::string> ids;
  for (simdjson::dom::element record : records) {
    std::string_view id;
    if (record["fields"]["skyflow_id"].get_string().get(id) || id.empty()) {
      return Status::ParseError("read answer record " + std::to_string(ids.size()) +
                                " has no \"fields.skyflow_id\"");
    }
    ids.emplace_back(id);
  }
  return ids;
}

Result<std::vector<std::string>> DecodeDeletedIds(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(body.data(), body.size()).get(root)) {
    return NotJson("delete answer", body, error);
  }
  simdjson::dom::array listed;
  if (root["RecordIDResponse"].get_array().get(listed)) {
    return Status::ParseError("delete answer has no \"RecordIDResponse\" array: " +
                              PrintablePrefix(body));
  }
  std::vector<std::string> ids;
  for (simdjson::dom::element entry : listed) {
    std::string_view id;
    if (entry.get_string().get(id)) {
      return Status::ParseError("delete answer entry " + std::to_string(ids.size()) +
                                " is not a string: " + PrintablePrefix(body));
    }
    ids.emplace_back(id);
  }
  return ids;
}

bool IsNoRecordsFound(std::string_view error_body) {
  const std::string message = ErrorMessageOf(error_body);
  if (ContainsIgnoreCase(message, "no records")) return true;
  // "Invalid request. Table name T is invalid", "Vault ID V is invalid".
  return !ContainsIgnoreCase(message, "invalid");
}

}  // namespace skyflow
