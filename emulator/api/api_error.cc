#include "emulator/api/api_error.h"

#include "util/json_writer.h"

namespace skyflow::emulator {

int GrpcCodeFor(int http_status) {
  switch (http_status) {
    case 400:
      return 3;  // INVALID_ARGUMENT
    case 401:
      return 16;  // UNAUTHENTICATED
    case 403:
      return 7;  // PERMISSION_DENIED
    case 404:
      return 5;  // NOT_FOUND
    case 405:
      return 12;  // UNIMPLEMENTED
    case 408:
      return 4;  // DEADLINE_EXCEEDED
    case 409:
      return 6;  // ALREADY_EXISTS
    case 413:
      return 3;  // INVALID_ARGUMENT
    case 429:
      return 8;  // RESOURCE_EXHAUSTED
    case 431:
      return 3;  // INVALID_ARGUMENT
    case 500:
      return 13;  // INTERNAL
    case 501:
      return 12;  // UNIMPLEMENTED
    case 503:
      return 14;  // UNAVAILABLE
    case 504:
      return 4;  // DEADLINE_EXCEEDED
    case 505:
      return 12;  // UNIMPLEMENTED
    default:
      return 2;  // UNKNOWN
  }
}

void WriteApiError(int http_status, std::string_view message, HttpResponse* response) {
  response->status = http_status;
  response->body.clear();
  JsonWriter json(&response->body);
  json.BeginObject().Key("error").BeginObject();
  json.Field("grpc_code", GrpcCodeFor(http_status));
  json.Field("http_code", http_status);
  json.Field("http_status", ReasonPhrase(http_status));
  json.Field("message", message);
  json.Key("details").BeginArray().EndArray();
  json.EndObject().EndObject();
}

int HttpStatusFor(const Status& status, int conflict_status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kParseError:
      return 400;
    case StatusCode::kConflict:
      return conflict_status;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

}  // namespace skyflow::emulator
