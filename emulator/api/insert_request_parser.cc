#include "emulator/api/insert_request_parser.h"

#include <cstring>
#include <optional>
#include <string>

#include "util/json_syntax.h"
#include "util/utf8.h"

namespace skyflow::emulator {
namespace {

using simdjson::error_code;
namespace dom = simdjson::dom;

// How many bytes of the body a syntax error quotes: enough to find the spot,
// too few to leak a record.
constexpr size_t kSnippetBytes = 24;

std::string Quoted(std::string_view text) {
  std::string quoted = "\"";
  quoted.append(text);
  quoted.push_back('"');
  return quoted;
}

// Printable ASCII only, so that the snippet cannot break the JSON or the
// terminal it ends up in.
std::string Snippet(std::string_view body, size_t offset) {
  std::string snippet;
  for (size_t i = offset; i < body.size() && snippet.size() < kSnippetBytes; ++i) {
    const char c = body[i];
    snippet.push_back(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? c : '.');
  }
  return snippet;
}

}  // namespace

Status InsertRequestParser::MalformedJson(error_code error) const {
  const std::string_view body(padded_.data(), body_size_);
  std::string message = "Malformed JSON in the request body";
  std::optional<size_t> offset = FindInvalidUtf8(body);
  if (!offset) {
    if (std::optional<JsonSyntaxError> syntax = FindJsonSyntaxError(body)) offset = syntax->offset;
  }
  if (offset) {
    message += " at byte " + std::to_string(*offset) + " (near \"" + Snippet(body, *offset) + "\")";
  }
  message += ": ";
  message += simdjson::error_message(error);
  return Status::ParseError(std::move(message));
}

Status InsertRequestParser::Parse(std::string_view body, Random* random, InsertRequest* out) {
  out->Clear();
  dom::element root;
  SKYFLOW_RETURN_IF_ERROR(ParseDocument(body, &root));
  SKYFLOW_RETURN_IF_ERROR(ParseTopLevel(root, out));
  return Complete(random, out);
}

Status InsertRequestParser::ParseDocument(std::string_view body, dom::element* root) {
  body_size_ = body.size();
  // simdjson reads up to SIMDJSON_PADDING bytes past the end; the body sits
  // in the connection's buffer, whose tail we do not own, hence the copy
  // (microseconds for a 300-record body).
  if (padded_.size() < body.size() + simdjson::SIMDJSON_PADDING) {
    padded_.resize(body.size() + simdjson::SIMDJSON_PADDING);
  }
  if (!body.empty()) std::memcpy(padded_.data(), body.data(), body.size());
  std::memset(padded_.data() + body.size(), 0, simdjson::SIMDJSON_PADDING);

  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status::InvalidArgument(
        "The request body is empty; send a JSON object with \"records\"");
  }
  if (const error_code error = parser_.parse(padded_.data(), body.size(), false).get(*root)) {
    return MalformedJson(error);
  }
  return Status::Ok();
}

Status InsertRequestParser::Complete(Random* random, InsertRequest* out) {
  SKYFLOW_RETURN_IF_ERROR(CheckRules(out));
  return Prepare(random, out);
}

Status InsertRequestParser::CheckRecordCount(size_t count) const {
  if (limits_.max_records != 0 && count > limits_.max_records) {
    return Status::InvalidArgument(
        "Too many records in one request: " + std::to_string(count) + "; the emulator's limit is " +
        std::to_string(limits_.max_records) + " (--max-records-per-request). Split the batch");
  }
  return Status::Ok();
}

Status InsertRequestParser::ParseOption(std::string_view key, dom::element value,
                                        InsertRequest* out) {
  if (key == "tokenization") {
    if (value.get_bool().get(out->tokenization) != simdjson::SUCCESS) {
      return Status::InvalidArgument("\"tokenization\" must be true or false");
    }
  } else if (key == "homogeneous") {
    if (value.get_bool().get(out->homogeneous) != simdjson::SUCCESS) {
      return Status::InvalidArgument("\"homogeneous\" must be true or false");
    }
  } else if (key == "byot") {
    std::string_view mode;
    if (value.get_string().get(mode) != simdjson::SUCCESS) mode = {};
    if (mode == "DISABLE") {
      out->byot = ByotMode::kDisable;
    } else if (mode == "ENABLE") {
      out->byot = ByotMode::kEnable;
    } else if (mode == "ENABLE_STRICT") {
      out->byot = ByotMode::kEnableStrict;
    } else {
      return Status::InvalidArgument(
          "\"byot\" must be one of \"DISABLE\", \"ENABLE\", \"ENABLE_STRICT\"");
    }
  } else if (key == "upsert") {
    if (value.get_string().get(out->upsert_column) != simdjson::SUCCESS) {
      return Status::InvalidArgument("\"upsert\" must be the name of a column (a string)");
    }
    if (out->upsert_column.empty()) {
      return Status::InvalidArgument("\"upsert\" must name a column; it is empty");
    }
  }
  return Status::Ok();
}

Status InsertRequestParser::ReadRecordsMember(dom::element value, bool* seen,
                                              dom::array* records) const {
  if (*seen) return Status::InvalidArgument("\"records\" appears twice in the request body");
  *seen = true;
  if (value.get_array().get(*records) != simdjson::SUCCESS) {
    return Status::InvalidArgument("\"records\" must be an array of objects");
  }
  return CheckRecordCount(records->size());
}

Status InsertRequestParser::RequireRecords(size_t count) {
  if (count == 0) {
    return Status::InvalidArgument("The request body must have a non-empty \"records\" array");
  }
  return Status::Ok();
}

Status InsertRequestParser::ParseTopLevel(dom::element root, InsertRequest* out) {
  dom::object members;
  if (root.get_object().get(members) != simdjson::SUCCESS) {
    return Status::InvalidArgument("The request body must be a JSON object with \"records\"");
  }
  bool saw_records = false;
  dom::array records;
  for (const dom::key_value_pair member : members) {
    const std::string_view key = member.key;
    if (key == "records") {
      SKYFLOW_RETURN_IF_ERROR(ReadRecordsMember(member.value, &saw_records, &records));
      out->records.reserve(records.size());
      uint32_t index = 0;
      for (const dom::element element : records) {
        SKYFLOW_RETURN_IF_ERROR(ParseRecord(element, index, out));
        ++index;
      }
    } else {
      // Anything ParseOption does not know (the Go loader's
      // "continueOnError", for one) is not part of this endpoint's schema
      // and is ignored, as the spec says the real endpoint does: the request
      // stays all-or-nothing.
      SKYFLOW_RETURN_IF_ERROR(ParseOption(key, member.value, out));
    }
  }
  return RequireRecords(out->records.size());
}

Status InsertRequestParser::ParseRecord(dom::element value, uint32_t label, InsertRequest* out) {
  const uint32_t index = label;  // how messages name it
  dom::object record_object;
  if (value.get_object().get(record_object) != simdjson::SUCCESS) {
    return Status::InvalidArgument(RecordLabel(index) + " must be an object with \"fields\"");
  }
  if (out->records.size() >= StringIndex::kMaxRef)
    return Status::InvalidArgument("Too many records");
  InsertRecord record;
  record.first_field = static_cast<uint32_t>(out->fields.size());
  record.label = label;
  record_tokens_.clear();
  bool saw_fields = false;
  bool saw_tokens = false;
  for (const dom::key_value_pair member : record_object) {
    const std::string_view key = member.key;
    const bool is_fields = key == "fields";
    if (!is_fields && key != "tokens") continue;
    bool& seen = is_fields ? saw_fields : saw_tokens;
    if (seen) {
      return Status::InvalidArgument(RecordLabel(index) + " has \"" + std::string(key) +
                                     "\" twice");
    }
    seen = true;
    dom::object columns;
    if (member.value.get_object().get(columns) != simdjson::SUCCESS) {
      return Status::InvalidArgument(RecordLabel(index) + "." + std::string(key) +
                                     " must be an object of column names to strings");
    }
    for (const dom::key_value_pair column : columns) {
      const std::string_view name = column.key;
      std::string_view text;
      if (column.value.get_string().get(text) != simdjson::SUCCESS) {
        return Status::InvalidArgument(
            RecordLabel(index) + "." + std::string(key) + "." + std::string(name) +
            " must be a string (the emulator stores string values only)");
      }
      if (name.empty()) {
        return Status::InvalidArgument(RecordLabel(index) + "." + std::string(key) +
                                       " has an empty column name");
      }
      if (is_fields) {
        for (uint32_t i = record.first_field; i < out->fields.size(); ++i) {
          if (out->fields[i].column == name) {
            return Status::InvalidArgument(RecordLabel(index) + ".fields names column " +
                                           Quoted(name) + " twice");
          }
        }
        InsertField field;
        field.column = name;
        field.value = text;
        field.record = static_cast<uint32_t>(out->records.size());
        out->fields.push_back(field);
      } else {
        record_tokens_.emplace_back(name, text);
      }
    }
  }
  record.field_count = static_cast<uint32_t>(out->fields.size()) - record.first_field;
  if (record.field_count == 0) {
    return Status::InvalidArgument(RecordLabel(index) + " must have a non-empty \"fields\" object");
  }
  for (const auto& [name, token] : record_tokens_) {
    InsertField* match = nullptr;
    for (uint32_t i = record.first_field; i < out->fields.size(); ++i) {
      if (out->fields[i].column == name) match = &out->fields[i];
    }
    if (match == nullptr) {
      return Status::InvalidArgument(RecordLabel(index) + ".tokens has a token for column " +
                                     Quoted(name) + ", which is not in its \"fields\"");
    }
    if (match->token_supplied) {
      return Status::InvalidArgument(RecordLabel(index) + ".tokens names column " + Quoted(name) +
                                     " twice");
    }
    if (token.empty()) {
      return Status::InvalidArgument(RecordLabel(index) + ".tokens." + std::string(name) +
                                     " is empty; a token must be a non-empty string");
    }
    match->token = token;
    match->token_supplied = true;
  }
  out->records.push_back(record);
  return Status::Ok();
}

Status InsertRequestParser::CheckRules(InsertRequest* out) {
  if (out->homogeneous && out->upsert()) {
    return Status::InvalidArgument(
        "\"homogeneous\" cannot be combined with \"upsert\"; drop one of them");
  }
  if (out->fields.size() >= StringIndex::kMaxRef) return Status::InvalidArgument("Too many fields");
  for (const InsertField& field : out->fields) {
    if (field.token_supplied && out->byot == ByotMode::kDisable) {
      return Status::InvalidArgument(
          out->RecordLabel(field.record) +
          ".tokens: tokens are not allowed when byot is DISABLE (the default); send \"byot\": "
          "\"ENABLE\" or \"ENABLE_STRICT\" to insert your own tokens");
    }
    if (!field.token_supplied && out->byot == ByotMode::kEnableStrict) {
      return Status::InvalidArgument(out->RecordLabel(field.record) + ".fields." +
                                     std::string(field.column) +
                                     " has no token, but byot ENABLE_STRICT requires a token for "
                                     "every field");
    }
  }

  // Distinct columns, so that the table resolves each name once per request
  // rather than once per field.
  column_index_.Reset(16);
  for (InsertField& field : out->fields) {
    const uint32_t hash = StringIndex::Hash(field.column);
    uint32_t slot =
        column_index_.Find(hash, [&](uint32_t ref) { return out->columns[ref] == field.column; });
    if (slot == StringIndex::kNone) {
      slot = static_cast<uint32_t>(out->columns.size());
      out->columns.push_back(field.column);
      column_index_.Insert(hash, slot);
    }
    field.column_slot = slot;
  }

  if (out->homogeneous) {
    const InsertRecord& first = out->records.front();
    column_seen_.assign(out->columns.size(), false);
    for (uint32_t i = 0; i < first.field_count; ++i) {
      column_seen_[out->fields[first.first_field + i].column_slot] = true;
    }
    for (uint32_t r = 1; r < out->records.size(); ++r) {
      const InsertRecord& record = out->records[r];
      bool same = record.field_count == first.field_count;
      for (uint32_t i = 0; same && i < record.field_count; ++i) {
        same = column_seen_[out->fields[record.first_field + i].column_slot];
      }
      if (!same) {
        return Status::InvalidArgument(out->RecordLabel(r) +
                                       " has other columns than records[0], but \"homogeneous\" "
                                       "is true");
      }
    }
  }

  if (out->upsert()) {
    for (uint32_t r = 0; r < out->records.size(); ++r) {
      InsertRecord& record = out->records[r];
      bool found = false;
      for (uint32_t i = 0; i < record.field_count && !found; ++i) {
        if (out->fields[record.first_field + i].column == out->upsert_column) {
          record.upsert_field = record.first_field + i;
          found = true;
        }
      }
      if (!found) {
        return Status::InvalidArgument(out->RecordLabel(r) +
                                       " has no value for the upsert column " +
                                       Quoted(out->upsert_column));
      }
    }
  }
  return Status::Ok();
}

Status InsertRequestParser::Prepare(Random* random, InsertRequest* out) {
  size_t missing_tokens = 0;
  for (const InsertField& field : out->fields)
    missing_tokens += field.token_supplied ? 0 : 1;
  const size_t token_size = token_format_.size();
  out->token_format = &token_format_;
  out->generated_tokens.resize(missing_tokens * token_size);
  char* next_token = out->generated_tokens.data();
  for (InsertField& field : out->fields) {
    if (!field.token_supplied) {
      token_format_.Generate(random, next_token);
      field.token = std::string_view(next_token, token_size);
      next_token += token_size;
    }
    field.value_hash = StringIndex::Hash(field.value);
    field.token_hash = StringIndex::Hash(field.token);
  }

  if (out->upsert()) {
    upsert_index_.Reset(out->records.size());
    for (uint32_t r = 0; r < out->records.size(); ++r) {
      InsertRecord& record = out->records[r];
      const InsertField& key = out->fields[record.upsert_field];
      const uint32_t leader = upsert_index_.Find(key.value_hash, [&](uint32_t other) {
        return out->fields[out->records[other].upsert_field].value == key.value;
      });
      if (leader == StringIndex::kNone) {
        record.upsert_leader = r;
        upsert_index_.Insert(key.value_hash, r);
      } else {
        record.upsert_leader = leader;
      }
    }
  } else {
    for (uint32_t r = 0; r < out->records.size(); ++r)
      out->records[r].upsert_leader = r;
  }

  // A token may appear twice in one request only where both records end up
  // as the same stored record (an upsert repeating a value).
  token_index_.Reset(out->fields.size());
  for (uint32_t f = 0; f < out->fields.size(); ++f) {
    const InsertField& field = out->fields[f];
    const uint32_t hash = field.token_hash ^ (field.column_slot * 0x9e3779b9U);
    const uint32_t earlier = token_index_.Find(hash, [&](uint32_t other) {
      return out->fields[other].column_slot == field.column_slot &&
             out->fields[other].token == field.token;
    });
    if (earlier == StringIndex::kNone) {
      token_index_.Insert(hash, f);
      continue;
    }
    const InsertRecord& first = out->records[out->fields[earlier].record];
    const InsertRecord& second = out->records[field.record];
    if (first.upsert_leader != second.upsert_leader) {
      return Status::Conflict(
          "Unique constraint violation: " + out->RecordLabel(out->fields[earlier].record) +
          " and " + out->RecordLabel(field.record) + " carry the same token for column " +
          Quoted(field.column) + "; a token identifies one record. Nothing was stored");
    }
  }

  for (const InsertField& field : out->fields)
    out->added_pairs.Add(field.value, field.token);
  return Status::Ok();
}

}  // namespace skyflow::emulator
