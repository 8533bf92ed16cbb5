#include "emulator/api/batch_request_parser.h"

#include <string>

namespace skyflow::emulator {
namespace {

namespace dom = simdjson::dom;

// How much of a client's "method" a message repeats.
constexpr size_t kMaxMethodShown = 16;

}  // namespace

Status BatchRequestParser::Parse(std::string_view body, BatchRequest* out) {
  out->continue_on_error = false;
  out->byot = ByotMode::kDisable;
  out->records.clear();
  dom::element root;
  SKYFLOW_RETURN_IF_ERROR(insert_parser_.ParseDocument(body, &root));
  dom::object members;
  if (root.get_object().get(members) != simdjson::SUCCESS) {
    return Status::InvalidArgument("The request body must be a JSON object with \"records\"");
  }
  options_.Clear();
  bool saw_records = false;
  dom::array records;
  for (const dom::key_value_pair member : members) {
    const std::string_view key = member.key;
    if (key == "records") {
      SKYFLOW_RETURN_IF_ERROR(
          insert_parser_.ReadRecordsMember(member.value, &saw_records, &records));
    } else if (key == "continueOnError") {
      if (member.value.get_bool().get(out->continue_on_error) != simdjson::SUCCESS) {
        return Status::InvalidArgument("\"continueOnError\" must be true or false");
      }
    } else if (key == "byot") {
      SKYFLOW_RETURN_IF_ERROR(InsertRequestParser::ParseOption(key, member.value, &options_));
      out->byot = options_.byot;
    }
    // Other keys are not part of this endpoint's schema and are ignored.
  }
  SKYFLOW_RETURN_IF_ERROR(InsertRequestParser::RequireRecords(saw_records ? records.size() : 0));
  out->records.resize(records.size());
  uint32_t index = 0;
  for (const dom::element element : records) {
    ParseRecord(element, index, &out->records[index]);
    ++index;
  }
  return Status::Ok();
}

void BatchRequestParser::ParseRecord(dom::element value, uint32_t index, BatchRecord* out) {
  *out = BatchRecord{};
  out->body = value;
  dom::object members;
  if (value.get_object().get(members) != simdjson::SUCCESS) {
    out->problem = Status::InvalidArgument(
        RecordLabel(index) + " must be an object with \"tableName\", \"method\" and \"fields\"");
    return;
  }
  options_.tokenization = false;
  options_.upsert_column = {};
  bool saw_method = false;
  for (const dom::key_value_pair member : members) {
    const std::string_view key = member.key;
    if (key == "tableName") {
      if (member.value.get_string().get(out->table) != simdjson::SUCCESS || out->table.empty() ||
          out->table.find('/') != std::string_view::npos) {
        out->problem =
            Status::InvalidArgument(RecordLabel(index) +
                                    ".tableName must be the name of a table (a non-empty string "
                                    "without '/')");
        return;
      }
    } else if (key == "method") {
      std::string_view method;
      if (member.value.get_string().get(method) != simdjson::SUCCESS) method = {};
      if (method != "POST") {
        const std::string shown =
            method.size() <= kMaxMethodShown
                ? "\"" + std::string(method) + "\""
                : "\"" + std::string(method.substr(0, kMaxMethodShown)) + "...\"";
        out->problem = Status::InvalidArgument(
            RecordLabel(index) + ".method is " + shown +
            ": the emulator's batch endpoint supports \"POST\" (insert) only; send reads, "
            "updates and deletes to their own endpoints");
        return;
      }
      saw_method = true;
    } else if (key == "tokenization" || key == "upsert") {
      Status status = InsertRequestParser::ParseOption(key, member.value, &options_);
      if (!status.ok()) {
        out->problem = Status::InvalidArgument(RecordLabel(index) + ": " + status.message());
        return;
      }
    }
  }
  if (out->table.empty()) {
    out->problem = Status::InvalidArgument(RecordLabel(index) +
                                           " has no \"tableName\"; name the table to insert into");
  } else if (!saw_method) {
    out->problem = Status::InvalidArgument(RecordLabel(index) +
                                           " has no \"method\"; send \"method\": \"POST\"");
  }
  out->tokenization = options_.tokenization;
  out->upsert_column = options_.upsert_column;
}

void BatchRequestParser::Begin(const BatchRequest& batch, uint32_t record, InsertRequest* out) {
  out->Clear();
  out->byot = batch.byot;
  out->tokenization = batch.records[record].tokenization;
  out->upsert_column = batch.records[record].upsert_column;
}

Status BatchRequestParser::AddRecord(const BatchRequest& batch, uint32_t record,
                                     InsertRequest* out) {
  return insert_parser_.ParseRecord(batch.records[record].body, record, out);
}

Status BatchRequestParser::Complete(Random* random, InsertRequest* out) {
  return insert_parser_.Complete(random, out);
}

}  // namespace skyflow::emulator
