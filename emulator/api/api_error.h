// The vault API's whole-request error shape (spec section 3):
//   {"error":{"grpc_code":3,"http_code":400,"http_status":"Bad Request",
//             "message":"...","details":[]}}
// and the mapping from the emulator's Status codes to HTTP statuses.
// Stateless; thread-safe.
#pragma once

#include <string_view>

#include "emulator/http/http_response.h"
#include "util/status.h"

namespace skyflow::emulator {

// The gRPC code Skyflow pairs with an HTTP status (3 INVALID_ARGUMENT for
// 400, 16 UNAUTHENTICATED for 401, 5 NOT_FOUND for 404, 6 ALREADY_EXISTS for
// 409, 8 RESOURCE_EXHAUSTED for 429, 14 UNAVAILABLE for 503...).
int GrpcCodeFor(int http_status);

// Sets the status and writes the error body. `message` must be UTF-8; it is
// written as a JSON string, so it cannot break the shape.
void WriteApiError(int http_status, std::string_view message, HttpResponse* response);

// kInvalidArgument and kParseError: 400; kConflict (uniqueness violation):
// `conflict_status` (409 or 400, --conflict-status); kNotFound: 404;
// kUnauthenticated: 401; anything else: 500.
int HttpStatusFor(const Status& status, int conflict_status);

}  // namespace skyflow::emulator
