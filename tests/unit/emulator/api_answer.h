// Test helper: an emulator response body read back with simdjson, for the
// schema and batch tests (whole-request errors in the API's shape, and the
// batch endpoint's "responses").
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <string_view>

#include "emulator/http/http_response.h"

namespace skyflow::emulator {

struct ApiAnswer {
  int status = 0;
  std::string body;
  simdjson::dom::parser parser;
  simdjson::dom::element root;

  explicit ApiAnswer(const HttpResponse& response) : status(response.status), body(response.body) {
    EXPECT_EQ(parser.parse(body).get(root), simdjson::SUCCESS) << body;
  }

  // error.message of a whole-request error ("" if the body has none).
  std::string message() const {
    std::string_view text;
    if (root["error"]["message"].get(text) != simdjson::SUCCESS) return "";
    return std::string(text);
  }
  bool Mentions(std::string_view text) const { return message().find(text) != std::string::npos; }
};

// A whole-request refusal with `status` whose message contains `text`.
inline void ExpectRefused(const ApiAnswer& answer, int status, std::string_view text) {
  EXPECT_EQ(answer.status, status) << answer.body;
  EXPECT_TRUE(answer.Mentions(text)) << answer.body;
}

}  // namespace skyflow::emulator
