#include "emulator/api/json_body.h"

namespace skyflow::emulator {

Status ParseJsonObjectBody(simdjson::dom::parser* parser, std::string_view body,
                           simdjson::dom::object* object) {
  simdjson::dom::element root;
  if (parser->parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) {
    return Status::InvalidArgument("The body is not valid JSON");
  }
  if (root.get(*object) != simdjson::SUCCESS) {
    return Status::InvalidArgument("The body must be a JSON object");
  }
  return Status::Ok();
}

}  // namespace skyflow::emulator
