#include "emulator/api/detokenize_handler.h"

#include <optional>

#include "emulator/api/api_error.h"
#include "emulator/api/json_body.h"
#include "util/json_writer.h"

namespace skyflow::emulator {
namespace {

constexpr std::string_view kDetokenizeShape =
    R"(; send {"detokenizationParameters":[{"token":"<token>","redaction":"PLAIN_TEXT"}]})";

Status BadDetokenizeBody(std::string_view problem) {
  return Status::InvalidArgument("Detokenize failed. " + std::string(problem) +
                                 std::string(kDetokenizeShape));
}

std::string ParameterLabel(size_t index) {
  return "detokenizationParameters[" + std::to_string(index) + "]";
}

}  // namespace

Status DetokenizeHandler::ParseBody(std::string_view body) {
  parameters_.clear();
  continue_on_error_ = false;
  simdjson::dom::object object;
  if (Status status = ParseJsonObjectBody(&parser_, body, &object); !status.ok()) {
    return BadDetokenizeBody(status.message());
  }
  for (auto [key, value] : object) {
    if (key == "continueOnError") {
      if (value.get(continue_on_error_) != simdjson::SUCCESS) {
        return BadDetokenizeBody("\"continueOnError\" must be true or false");
      }
    } else if (key != "detokenizationParameters") {
      return BadDetokenizeBody("Unknown field \"" + std::string(key) + "\"");
    }
  }
  simdjson::dom::array parameters;
  if (object["detokenizationParameters"].get(parameters) != simdjson::SUCCESS) {
    return BadDetokenizeBody("\"detokenizationParameters\" is missing or not an array");
  }
  if (parameters.size() == 0) return BadDetokenizeBody("\"detokenizationParameters\" is empty");
  for (simdjson::dom::element element : parameters) {
    const std::string label = ParameterLabel(parameters_.size());
    simdjson::dom::object entry;
    if (element.get(entry) != simdjson::SUCCESS) return BadDetokenizeBody(label + " must be an object");
    Parameter parameter;
    bool has_token = false;
    for (auto [key, value] : entry) {
      if (key == "token") {
        if (value.get(parameter.token) != simdjson::SUCCESS || parameter.token.empty()) {
          return BadDetokenizeBody(label + ".token must be a non-empty string");
        }
        has_token = true;
      } else if (key == "redaction") {
        std::string_view text;
        std::optional<Redaction> redaction;
        if (value.get(text) == simdjson::SUCCESS) redaction = ParseRedaction(text);
        if (!redaction) {
          return BadDetokenizeBody(label + ".redaction must be " + std::string(kRedactionNames));
        }
        parameter.redaction = *redaction;
      } else {
        return BadDetokenizeBody(label + " has an unknown field \"" + std::string(key) + "\"");
      }
    }
    if (!has_token) return BadDetokenizeBody(label + " has no \"token\"");
    parameters_.push_back(parameter);
  }
  return Status::Ok();
}

void DetokenizeHandler::Handle(std::string_view vault_id, std::string_view body,
                               HttpResponse* response) {
  if (Status status = store_->CheckVault(vault_id); !status.ok()) {
    WriteApiError(404, status.message(), response);
    return;
  }
  if (Status status = ParseBody(body); !status.ok()) {
    WriteApiError(400, status.message(), response);
    return;
  }
  std::vector<std::optional<TokenMatch>> matches;
  matches.reserve(parameters_.size());
  std::optional<size_t> first_missing;
  std::optional<size_t> first_ambiguous;
  for (const Parameter& parameter : parameters_) {
    // Generated tokens are unique per column only (vault-wide uniqueness
    // would cost every insert a look-up in every table), so every table is
    // asked: a token behind different values is refused, never resolved to
    // whichever table sorts first.
    std::optional<TokenMatch> match;
    store_->ForEachTableOf(vault_id, [&](std::string_view, VaultTable& table) {
      std::optional<TokenMatch> found = table.Detokenize(parameter.token);
      if (!found) return true;
      if (!match) {
        match = std::move(found);
      } else if (found->ambiguous || found->value != match->value) {
        match->ambiguous = true;
      }
      return !match->ambiguous;
    });
    if (match && match->ambiguous && !first_ambiguous) first_ambiguous = matches.size();
    if (!match && !first_missing) first_missing = matches.size();
    matches.push_back(std::move(match));
  }
  // As for reads: the values found may still await the journal's sync.
  if (Status durable = store_->MakeDurable(); !durable.ok()) {
    WriteApiError(503, durable.message(), response);
    return;
  }
  // Without continueOnError the first failing parameter is the one named.
  if (first_ambiguous && !continue_on_error_ &&
      !(first_missing && *first_missing < *first_ambiguous)) {
    WriteApiError(409,
                  "Detokenize failed. " + ParameterLabel(*first_ambiguous) +
                      ": the token is held by several fields of vault " + std::string(vault_id) +
                      " with different values; send \"continueOnError\": true for per-token "
                      "results",
                  response);
    return;
  }
  if (first_missing && !continue_on_error_) {
    WriteApiError(404,
                  "Detokenize failed. " + ParameterLabel(*first_missing) +
                      ": token not found in vault " + std::string(vault_id) +
                      "; send \"continueOnError\": true for per-token results",
                  response);
    return;
  }

  response->status = first_missing || first_ambiguous ? 207 : 200;
  JsonWriter json(&response->body);
  json.BeginObject().Key("records").BeginArray();
  std::string shown;
  for (size_t i = 0; i < parameters_.size(); ++i) {
    json.BeginObject().Key("token");
    json.String(parameters_[i].token);
    if (matches[i] && matches[i]->ambiguous) {
      json.Field("valueType", "NONE")
          .Field("value", "")
          .Field("error", "Token is ambiguous: several fields hold it with different values");
    } else if (matches[i]) {
      shown.clear();
      AppendRedacted(parameters_[i].redaction, matches[i]->value, &shown);
      json.Field("valueType", "STRING").Key("value");
      json.String(shown);
    } else {
      json.Field("valueType", "NONE").Field("value", "").Field("error", "Token not found");
    }
    json.EndObject();
  }
  json.EndArray().EndObject();
}

}  // namespace skyflow::emulator
