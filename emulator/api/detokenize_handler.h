// DetokenizeHandler: `POST /v1/vaults/{vaultID}/detokenize`, once routing,
// authentication and fault injection have let the request through.
//
// Body: {"detokenizationParameters":[{"token":"<t>","redaction":"PLAIN_TEXT"}],
//        "continueOnError":false}
// (redaction optional, default DEFAULT: see redaction.h). Each token is
// looked up in every table and column of the vault (tables by name, columns
// in creation order; the first holder wins). The answer follows the
// generated SDK models (V1DetokenizeResponse / V1DetokenizeRecordResponse):
//   {"records":[{"token":"<t>","valueType":"STRING","value":"<v>"},
//               {"token":"<u>","valueType":"NONE","value":"",
//                "error":"Token not found"}]}
// records[i] answers parameter i. Status: 200 when every token resolved;
// when one did not, 207 with the per-token errors if continueOnError is
// true (the SDKs split such an answer into values and errors), otherwise a
// whole-request 404 naming the first unknown parameter. Malformed bodies:
// 400. Not synchronised (one per worker); the store is.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "emulator/api/redaction.h"
#include "emulator/http/http_response.h"
#include "emulator/store/vault_store.h"
#include "util/status.h"

namespace skyflow::emulator {

class DetokenizeHandler {
 public:
  explicit DetokenizeHandler(VaultStore* store) : store_(store) {}

  void Handle(std::string_view vault_id, std::string_view body, HttpResponse* response);

 private:
  struct Parameter {
    std::string_view token;  // into the parser's document
    Redaction redaction = Redaction::kDefault;
  };

  Status ParseBody(std::string_view body);

  VaultStore* store_;
  simdjson::dom::parser parser_;
  std::vector<Parameter> parameters_;
  bool continue_on_error_ = false;
};

}  // namespace skyflow::emulator
