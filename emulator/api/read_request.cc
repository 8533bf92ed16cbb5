#include "emulator/api/read_request.h"

#include <algorithm>
#include <charconv>

#include "emulator/api/query_string.h"
#include "util/utf8.h"

namespace skyflow::emulator {
namespace {

constexpr uint64_t kDefaultLimit = 25;

Status Invalid(std::string message) {
  return Status::InvalidArgument("Invalid request. " + std::move(message));
}

// A parameter value quoted for a message: bounded, so a long one cannot
// flood the answer. Values are UTF-8 (the decoder checked).
std::string Shown(std::string_view value) {
  constexpr size_t kMaxShown = 64;
  if (value.size() <= kMaxShown) return "\"" + std::string(value) + "\"";
  size_t cut = kMaxShown;
  while (cut > 0 && IsUtf8Continuation(value[cut]))
    --cut;
  return "\"" + std::string(value.substr(0, cut)) + "...\"";
}

Status ParseCount(std::string_view name, std::string_view text, uint64_t* out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return Invalid(std::string(name) + " must be a non-negative integer, got " + Shown(text));
  }
  return Status::Ok();
}

Status ParseBool(std::string_view name, std::string_view text, bool* out) {
  if (text == "true") {
    *out = true;
  } else if (text == "false") {
    *out = false;
  } else {
    return Invalid(std::string(name) + " must be true or false, got " + Shown(text));
  }
  return Status::Ok();
}

void AppendCommaSeparated(std::string_view text, std::vector<std::string>* out) {
  while (true) {
    const size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    if (!item.empty()) out->emplace_back(item);
    if (comma == std::string_view::npos) return;
    text.remove_prefix(comma + 1);
  }
}

}  // namespace

Status ParseReadRequest(std::string_view query, uint64_t max_limit, ReadRequest* out) {
  *out = ReadRequest();
  out->limit = std::min(kDefaultLimit, max_limit);
  std::vector<QueryParameter> parameters;
  if (Status status = ParseQueryString(query, &parameters); !status.ok()) {
    return Invalid(status.message());
  }
  bool redaction_given = false;
  bool ignored = false;
  for (const QueryParameter& parameter : parameters) {
    const std::string& name = parameter.name;
    const std::string& value = parameter.value;
    if (name == "offset") {
      SKYFLOW_RETURN_IF_ERROR(ParseCount(name, value, &out->offset));
    } else if (name == "limit") {
      SKYFLOW_RETURN_IF_ERROR(ParseCount(name, value, &out->limit));
      if (out->limit == 0) return Invalid("limit must be at least 1");
      if (out->limit > max_limit) {
        return Invalid("limit " + value + " is over the maximum of " + std::to_string(max_limit) +
                       " records per request; read in pages with offset");
      }
    } else if (name == "skyflow_ids") {
      AppendCommaSeparated(value, &out->skyflow_ids);
    } else if (name == "column_name") {
      if (value.empty()) return Invalid("column_name is empty; name the column to look up");
      out->column_name = value;
    } else if (name == "column_values") {
      out->column_values.push_back(value);
    } else if (name == "fields") {
      AppendCommaSeparated(value, &out->fields);
    } else if (name == "redaction") {
      const std::optional<Redaction> redaction = ParseRedaction(value);
      if (!redaction) {
        return Invalid("redaction must be " + std::string(kRedactionNames) + ", got " +
                       Shown(value));
      }
      out->redaction = *redaction;
      redaction_given = true;
    } else if (name == "tokenization") {
      SKYFLOW_RETURN_IF_ERROR(ParseBool(name, value, &out->tokenization));
    } else if (name == "order_by") {
      if (value == "DESCENDING") {
        out->descending = true;
      } else if (value == "ASCENDING" || value == "NONE") {
        out->descending = false;
      } else {
        return Invalid("order_by must be ASCENDING, DESCENDING or NONE, got " + Shown(value));
      }
    } else if (name == "downloadURL" || name == "returnFileMetadata") {
      SKYFLOW_RETURN_IF_ERROR(ParseBool(name, value, &ignored));
    } else {
      return Invalid("Unknown query parameter " + Shown(name) +
                     "; this endpoint takes offset, limit, skyflow_ids, column_name, "
                     "column_values, fields, redaction, tokenization and order_by");
    }
  }

  if (!out->skyflow_ids.empty() && !out->column_name.empty()) {
    return Invalid("skyflow_ids and column_name cannot be used together; use one or the other");
  }
  if (out->column_name.empty() != out->column_values.empty()) {
    return Invalid("column_name and column_values go together: name the column and give values");
  }
  if (out->skyflow_ids.size() > max_limit || out->column_values.size() > max_limit) {
    return Invalid("at most " + std::to_string(max_limit) +
                   " skyflow_ids or column_values per request");
  }
  if (out->tokenization && redaction_given && out->redaction != Redaction::kDefault) {
    return Invalid(
        "redaction cannot be applied when tokenization is true; remove redaction or set "
        "tokenization to false");
  }
  if (out->tokenization && !out->column_name.empty()) {
    return Invalid(
        "tokenization cannot be used with column_name and column_values; look records up by "
        "skyflow_ids to get tokens");
  }
  return Status::Ok();
}

}  // namespace skyflow::emulator
