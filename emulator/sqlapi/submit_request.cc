#include "emulator/sqlapi/submit_request.h"

#include <charconv>

namespace skyflow::emulator::sqlapi {
namespace {

// Snowflake's longest statement timeout (7 days), what 0 means there.
constexpr int64_t kMaxTimeoutSeconds = 604800;

Status OptionalString(simdjson::dom::object object, std::string_view key, std::string* out) {
  simdjson::dom::element element;
  if (object[key].get(element) != simdjson::SUCCESS || element.is_null()) return Status::Ok();
  std::string_view value;
  if (element.get(value) != simdjson::SUCCESS) {
    return Status::InvalidArgument("\"" + std::string(key) + "\" must be a string");
  }
  *out = std::string(value);
  return Status::Ok();
}

Status ParseBindings(simdjson::dom::object bindings, SubmitRequest* request) {
  const size_t count = bindings.size();
  request->bindings.assign(count, std::nullopt);
  std::vector<bool> given(count, false);
  for (const auto field : bindings) {
    const std::string_view key = field.key;
    size_t position = 0;
    const auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), position);
    if (key.empty() || error != std::errc() || end != key.data() + key.size() || position < 1 ||
        position > count || given[position - 1]) {
      return Status::InvalidArgument("\"bindings\": keys must be the positions \"1\"..\"" +
                                     std::to_string(count) + "\", each once; got \"" +
                                     std::string(key) + "\"");
    }
    given[position - 1] = true;
    simdjson::dom::object binding;
    simdjson::dom::element value;
    if (field.value.get(binding) != simdjson::SUCCESS ||
        binding["value"].get(value) != simdjson::SUCCESS) {
      return Status::InvalidArgument("\"bindings\".\"" + std::string(key) +
                                     "\" must be an object with \"type\" and \"value\"");
    }
    if (value.is_null()) continue;
    std::string_view text;
    if (value.get(text) == simdjson::SUCCESS) {
      request->bindings[position - 1] = std::string(text);
    } else if (value.is_array() || value.is_object()) {
      return Status::InvalidArgument("\"bindings\".\"" + std::string(key) +
                                     "\": array (multi-row) binds are not supported by the "
                                     "SQL API emulator");
    } else {
      request->bindings[position - 1] = simdjson::minify(value);
    }
  }
  return Status::Ok();
}

}  // namespace

Result<SubmitRequest> ParseSubmitRequest(std::string_view body, simdjson::dom::parser* parser) {
  simdjson::dom::element root;
  simdjson::dom::object object;
  if (parser->parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) {
    return Status::InvalidArgument("the body is not valid JSON");
  }
  if (root.get(object) != simdjson::SUCCESS) {
    return Status::InvalidArgument("the body must be a JSON object");
  }
  SubmitRequest request;
  SKYFLOW_RETURN_IF_ERROR(OptionalString(object, "statement", &request.statement));
  if (request.statement.empty()) {
    return Status::InvalidArgument("\"statement\" is missing or empty");
  }
  SKYFLOW_RETURN_IF_ERROR(OptionalString(object, "database", &request.database));
  SKYFLOW_RETURN_IF_ERROR(OptionalString(object, "schema", &request.schema));
  simdjson::dom::element timeout;
  if (object["timeout"].get(timeout) == simdjson::SUCCESS && !timeout.is_null()) {
    int64_t seconds = 0;
    if (timeout.get(seconds) != simdjson::SUCCESS || seconds < 0 || seconds > kMaxTimeoutSeconds) {
      return Status::InvalidArgument("\"timeout\" must be a whole number of seconds from 0 to " +
                                     std::to_string(kMaxTimeoutSeconds));
    }
    request.timeout_seconds = seconds;
  }
  simdjson::dom::element bindings;
  if (object["bindings"].get(bindings) == simdjson::SUCCESS && !bindings.is_null()) {
    simdjson::dom::object bindings_object;
    if (bindings.get(bindings_object) != simdjson::SUCCESS) {
      return Status::InvalidArgument("\"bindings\" must be an object");
    }
    SKYFLOW_RETURN_IF_ERROR(ParseBindings(bindings_object, &request));
  }
  return request;
}

}  // namespace skyflow::emulator::sqlapi
