#include "vault/insert_response.h"

#include <simdjson.h>

namespace skyflow {

Result<size_t> CountInsertedRecords(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(body.data(), body.size()).get(root)) {
    return Status::ParseError(std::string("response is not JSON (") +
                              simdjson::error_message(error) + "): " + PrintablePrefix(body));
  }
  simdjson::dom::array records;
  if (root["records"].get_array().get(records)) {
    return Status::ParseError("response has no \"records\" array: " + PrintablePrefix(body));
  }
  size_t count = 0;
  for (simdjson::dom::element record : records) {
    std::string_view id;
    if (record["skyflow_id"].get_string().get(id)) {
      return Status::ParseError("response record " + std::to_string(count) +
                                " has no \"skyflow_id\"");
    }
    ++count;
  }
  return count;
}

Result<std::vector<RecordAnswer>> DecodeBatchAnswers(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(body.data(), body.size()).get(root)) {
    return Status::ParseError(std::string("response is not JSON (") +
                              simdjson::error_message(error) + "): " + PrintablePrefix(body));
  }
  simdjson::dom::array responses;
  if (root["responses"].get_array().get(responses)) {
    return Status::ParseError("response has no \"responses\" array: " + PrintablePrefix(body));
  }
  std::vector<RecordAnswer> answers;
  for (simdjson::dom::element entry : responses) {
    RecordAnswer answer;
    int64_t status = 0;
    if (!entry["Status"].get_int64().get(status)) {
      answer.status = static_cast<long>(status);
    } else if (entry["records"].is_array()) {
      answer.status = 200;
    } else {
      return Status::ParseError("response entry " + std::to_string(answers.size()) +
                                " has neither \"Status\" nor \"records\"");
    }
    if (answer.status < 200 || answer.status >= 300) {
      simdjson::dom::element error_body;
      answer.message = entry["Body"].get(error_body)
                           ? std::string("(no body)")
                           : ErrorMessageOf(simdjson::to_string(error_body));
    }
    answers.push_back(std::move(answer));
  }
  return answers;
}

std::string ErrorMessageOf(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (!parser.parse(body.data(), body.size()).get(root)) {
    std::string_view message;
    if (!root["error"]["message"].get_string().get(message)) return std::string(message);
    if (!root["error"].get_string().get(message)) return std::string(message);
    if (!root["message"].get_string().get(message)) return std::string(message);
  }
  if (body.empty()) return "(empty body)";
  return PrintablePrefix(body);
}

}  // namespace skyflow
