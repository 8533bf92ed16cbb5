#include "error_log/error_log_entry.h"

#include <simdjson.h>

#include <optional>

#include "util/hex.h"
#include "util/json_writer.h"
#include "util/utf8.h"

namespace skyflow {
namespace {

namespace dom = simdjson::dom;

// Text that must stay readable but need not be exact (a server's message).
void ReadableField(JsonWriter& json, std::string_view key, std::string_view text) {
  if (!FindInvalidUtf8(text)) {
    json.Field(key, text);
  } else {
    json.Field(key, ReplaceInvalidUtf8(text));
  }
}

// A value or token: exact bytes kept under "<key>_hex" when not UTF-8.
void ExactTextField(JsonWriter& json, std::string_view key, std::string_view text) {
  if (!FindInvalidUtf8(text)) {
    json.Field(key, text);
    return;
  }
  json.Field(key, ReplaceInvalidUtf8(text)).Field(std::string(key) + "_hex", HexEncode(text));
}

Status WrongType(std::string_view key, const char* expected) {
  return Status::ParseError("field \"" + std::string(key) + "\" must be " + expected);
}

Status ReadString(std::string_view key, dom::element value, std::string* out) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) return WrongType(key, "a string");
  out->assign(text);
  return Status::Ok();
}

Status ReadUnsigned(std::string_view key, dom::element value, uint64_t* out) {
  if (value.get_uint64().get(*out) != simdjson::SUCCESS) {
    return WrongType(key, "a non-negative integer");
  }
  return Status::Ok();
}

Status ReadBounded(std::string_view key, dom::element value, int64_t max, int64_t* out) {
  uint64_t number = 0;
  if (value.get_uint64().get(number) != simdjson::SUCCESS || number > static_cast<uint64_t>(max)) {
    return WrongType(key, ("an integer from 0 to " + std::to_string(max)).c_str());
  }
  *out = static_cast<int64_t>(number);
  return Status::Ok();
}

std::optional<ErrorLogStage> ParseStage(std::string_view name) {
  if (name == "source") return ErrorLogStage::kSource;
  if (name == "vault") return ErrorLogStage::kVault;
  return std::nullopt;
}

std::optional<ErrorLogOutcome> ParseOutcome(std::string_view name) {
  if (name == "rejected") return ErrorLogOutcome::kRejected;
  if (name == "conflict") return ErrorLogOutcome::kConflict;
  if (name == "failed") return ErrorLogOutcome::kFailed;
  return std::nullopt;
}

// The exact bytes of a value or token: `hex` when given, which must read as
// `readable` once its bad bytes are replaced.
Status RestoreExact(std::string_view key, const std::optional<std::string>& hex,
                    std::string* text) {
  if (!hex.has_value()) return Status::Ok();
  std::optional<std::string> bytes = HexDecode(*hex);
  if (!bytes.has_value()) {
    return Status::ParseError("field \"" + std::string(key) +
                              "_hex\" must hold pairs of hex digits");
  }
  if (ReplaceInvalidUtf8(*bytes) != *text) {
    return Status::ParseError("field \"" + std::string(key) +
                              "_hex\" does not hold the bytes of \"" + std::string(key) + "\"");
  }
  *text = std::move(*bytes);
  return Status::Ok();
}

// Which fields a line gave, to tell missing ones and duplicates.
enum Seen : unsigned {
  kSeenVault = 1u << 0,
  kSeenStage = 1u << 1,
  kSeenSequence = 1u << 2,
  kSeenMessage = 1u << 3,
  kSeenValue = 1u << 4,
  kSeenToken = 1u << 5,
  kSeenOutcome = 1u << 6,
  kSeenStatus = 1u << 7,
};

}  // namespace

const char* ErrorLogStageName(ErrorLogStage stage) {
  return stage == ErrorLogStage::kSource ? "source" : "vault";
}

const char* ErrorLogOutcomeName(ErrorLogOutcome outcome) {
  switch (outcome) {
    case ErrorLogOutcome::kRejected:
      return "rejected";
    case ErrorLogOutcome::kConflict:
      return "conflict";
    case ErrorLogOutcome::kFailed:
      return "failed";
  }
  return "failed";
}

void AppendErrorLogLine(const ErrorLogEntry& entry, std::string* out) {
  JsonWriter json(out);
  json.BeginObject();
  ReadableField(json, "time", entry.time);
  ReadableField(json, "vault", entry.vault);
  ReadableField(json, "vault_id", entry.vault_id);
  ReadableField(json, "table", entry.table);
  ReadableField(json, "column", entry.column);
  json.Field("stage", ErrorLogStageName(entry.stage))
      .Field("outcome", ErrorLogOutcomeName(entry.outcome));
  ReadableField(json, "origin", entry.origin);
  json.Field("sequence", entry.sequence).Field("batch", entry.batch).Field("status", entry.status);
  ReadableField(json, "message", entry.message);
  ReadableField(json, "request_id", entry.request_id);
  json.Field("attempts", entry.attempts);
  ExactTextField(json, "value", entry.value);
  ExactTextField(json, "token", entry.token);
  json.EndObject();
  out->push_back('\n');
}

struct ErrorLogLineDecoder::Parser {
  dom::parser parser;
};

ErrorLogLineDecoder::ErrorLogLineDecoder() : parser_(std::make_unique<Parser>()) {}
ErrorLogLineDecoder::~ErrorLogLineDecoder() = default;

Status ErrorLogLineDecoder::Decode(std::string_view line, ErrorLogEntry* entry) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  dom::element root;
  if (const simdjson::error_code error =
          parser_->parser.parse(line.data(), line.size()).get(root)) {
    return Status::ParseError(std::string("not valid JSON (") + simdjson::error_message(error) +
                              ")");
  }
  dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return Status::ParseError("not a JSON object: each line of an error log is one object");
  }
  *entry = ErrorLogEntry{};
  unsigned seen = 0;
  std::optional<std::string> value_hex;
  std::optional<std::string> token_hex;
  std::string outcome_name;
  std::string stage_name;
  // The fields a line must hold once at most; unknown ones are skipped.
  auto once = [&seen](std::string_view key, unsigned bit) -> Status {
    if ((seen & bit) != 0) {
      return Status::ParseError("field \"" + std::string(key) + "\" appears twice");
    }
    seen |= bit;
    return Status::Ok();
  };
  for (const dom::key_value_pair field : object) {
    const std::string_view key = field.key;
    const dom::element value = field.value;
    if (key == "time") {
      SKYFLOW_RETURN_IF_ERROR(ReadString(key, value, &entry->time));
    } else if (key == "vault") {
      SKYFLOW_RETURN_IF_ERROR(once(key, kSeenVault));
      SKYFLOW_RETURN_IF_ERROR(ReadString(key, value, &entry->vault));
    } else if (key == "vault_id") {
      SKYFLOW_RETURN_IF_ERROR(ReadString(key, value, &entry->vault_id));
    } else if (key == "table") {
      SKYFLOW_RETURN_IF_ERROR(ReadString(key, value, &entry->table));
    } else if (key == "column") {
      SKYFLOW_RETURN_IF_ERROR(ReadString(key, value, &entry->column));
    } else if (key == "stage") {
      SKYFLOW_RETURN_IF_ERROR(once(key, kSeenStage));
      SKYFLOW_RETURN_IF_ERROR(ReadString(key, value, &stage_name));
    } else if (key == "outcome") {
      SKYFLOW_RETURN_IF_ERROR(once(key, kSeenOutcome));
      SKYFLOW_RETURN_IF_ERROR(ReadString(key, value, &outcome_name));
    } else if (key == "origin") {
      SKYFLOW_RETURN_IF_ERROR(ReadString(key, value, &entry->origin));
    } else if (key == "sequence") {
      SKYFLOW_RETURN_IF_ERROR(once(key, kSeenSequence));
      SKYFLOW_RETURN_IF_ERROR(ReadUnsigned(key, value, &entry->sequence));
    } else if (key == "batch") {
      SKYFLOW_RETURN_IF_ERROR(ReadUnsigned(key, value, &entry->batch));
    } else if (key == "status" || key == "http_status") {
      SKYFLOW_RETURN_IF_ERROR(once("status", kSeenStatus));
      SKYFLOW_RETURN_IF_ERROR(ReadBounded(key, value, 999, &entry->status));
    } else if (key == "message" || key == "reason") {
      SKYFLOW_RETURN_IF_ERROR(once("message", kSeenMessage));
      SKYFLOW_RETURN_IF_ERROR(ReadString(key, value, &entry->message));
    } else if (key == "request_id") {
      SKYFLOW_RETURN_IF_ERROR(ReadString(key, value, &entry->request_id));
    } else if (key == "attempts") {
      SKYFLOW_RETURN_IF_ERROR(ReadBounded(key, value, INT32_MAX, &entry->attempts));
    } else if (key == "value") {
      SKYFLOW_RETURN_IF_ERROR(once(key, kSeenValue));
      SKYFLOW_RETURN_IF_ERROR(ReadString(key, value, &entry->value));
    } else if (key == "token") {
      SKYFLOW_RETURN_IF_ERROR(once(key, kSeenToken));
      SKYFLOW_RETURN_IF_ERROR(ReadString(key, value, &entry->token));
    } else if (key == "value_hex") {
      SKYFLOW_RETURN_IF_ERROR(ReadString(key, value, &value_hex.emplace()));
    } else if (key == "token_hex") {
      SKYFLOW_RETURN_IF_ERROR(ReadString(key, value, &token_hex.emplace()));
    }
  }
  static constexpr std::pair<unsigned, const char*> kRequired[] = {
      {kSeenVault, "vault"},     {kSeenStage, "stage"}, {kSeenSequence, "sequence"},
      {kSeenMessage, "message"}, {kSeenValue, "value"}, {kSeenToken, "token"}};
  for (const auto& [bit, name] : kRequired) {
    if ((seen & bit) == 0) {
      return Status::ParseError(std::string("field \"") + name + "\" is missing");
    }
  }
  if (entry->vault.empty()) return Status::ParseError("field \"vault\" is empty");
  const std::optional<ErrorLogStage> stage = ParseStage(stage_name);
  if (!stage.has_value()) {
    return Status::ParseError("field \"stage\" must be \"source\" or \"vault\"");
  }
  entry->stage = *stage;
  if ((seen & kSeenOutcome) == 0) {
    // Lines written before "outcome" existed had it for vault failures only.
    if (entry->stage == ErrorLogStage::kVault) {
      return Status::ParseError("field \"outcome\" is missing");
    }
    entry->outcome = ErrorLogOutcome::kRejected;
  } else {
    const std::optional<ErrorLogOutcome> outcome = ParseOutcome(outcome_name);
    if (!outcome.has_value()) {
      return Status::ParseError(
          "field \"outcome\" must be \"rejected\", \"conflict\" or \"failed\"");
    }
    entry->outcome = *outcome;
  }
  if ((entry->stage == ErrorLogStage::kSource) != (entry->outcome == ErrorLogOutcome::kRejected)) {
    return Status::ParseError(
        "fields \"stage\" and \"outcome\" disagree: only the source rejects (stage \"source\", "
        "outcome \"rejected\")");
  }
  SKYFLOW_RETURN_IF_ERROR(RestoreExact("value", value_hex, &entry->value));
  SKYFLOW_RETURN_IF_ERROR(RestoreExact("token", token_hex, &entry->token));
  return Status::Ok();
}

}  // namespace skyflow
