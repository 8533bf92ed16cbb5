#include "net/http_exchange.h"

namespace skyflow {

const char* HttpMethodName(HttpMethod method) {
  switch (method) {
    case HttpMethod::kPost:
      return "POST";
    case HttpMethod::kGet:
      return "GET";
    case HttpMethod::kDelete:
      return "DELETE";
  }
  return "POST";
}

}  // namespace skyflow
