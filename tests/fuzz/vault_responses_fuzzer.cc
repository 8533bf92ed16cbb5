// Fuzz target: the decoders of the vault's answers on arbitrary bodies:
// vault/insert_response.h, vault/record_lookup.h and vault/record_pages.h.
// Checks that:
//   - no decoder reports more entries than the body has JSON objects (or
//     strings, for deleted ids), and DecodeDetokenized exactly as many values
//     as tokens were asked, or fails;
//   - a batch answer's successful entry carries no message; page ids are
//     never empty;
//   - every error is a ParseError whose message is bounded and free of
//     control characters, as is ErrorMessageOf's answer unless it is a
//     string of the JSON body itself;
//   - PrintablePrefix keeps within its limit (plus "..."), blanks control
//     characters, and leaves UTF-8 text UTF-8 (it does not cut a character
//     in two).
// Input: the body, then one byte: the tokens asked (low 5 bits) and the
// PrintablePrefix limit (the whole byte).
// Links: skyflow_vault
#include <simdjson.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "util/utf8.h"
#include "vault/insert_response.h"
#include "vault/record_lookup.h"
#include "vault/record_pages.h"

namespace skyflow {
namespace {

// Messages quote at most PrintablePrefix's 200 bytes of the body, plus a
// sentence of their own.
constexpr size_t kMaxMessageBytes = 512;

bool HasControlCharacter(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

// Whether `message` is one of the strings ErrorMessageOf may take from a JSON
// body, as is.
bool IsJsonMessageOf(std::string_view body, std::string_view message) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root)) return false;
  std::string_view text;
  return (!root["error"]["message"].get_string().get(text) && text == message) ||
         (!root["error"].get_string().get(text) && text == message) ||
         (!root["message"].get_string().get(text) && text == message);
}

void CheckError(const Status& status, std::string_view decoder, bool body_is_utf8) {
  FUZZ_CHECK(status.code() == StatusCode::kParseError,
             std::string(decoder) + ": " + fuzz::Describe(status));
  const std::string& message = status.message();
  FUZZ_CHECK(message.size() <= kMaxMessageBytes && !HasControlCharacter(message),
             std::string(decoder) + " message of " + std::to_string(message.size()) +
                 " bytes: " + fuzz::Escaped(message));
  FUZZ_CHECK(!body_is_utf8 || !FindInvalidUtf8(message),
             std::string(decoder) + " message not UTF-8: " + fuzz::Escaped(message));
}

void CheckPrintablePrefix(std::string_view body, size_t limit, bool body_is_utf8) {
  const std::string text = PrintablePrefix(body, limit);
  const std::string detail = "PrintablePrefix(" + fuzz::Escaped(body) + ", " +
                             std::to_string(limit) + ") = " + fuzz::Escaped(text);
  FUZZ_CHECK(!HasControlCharacter(text), detail);
  if (body.size() <= limit) {
    FUZZ_CHECK(text.size() == body.size(), detail);
  } else {
    FUZZ_CHECK(text.size() <= limit + 3 && text.ends_with("..."), detail);
  }
  FUZZ_CHECK(!body_is_utf8 || !FindInvalidUtf8(text), detail);
}

}  // namespace
}  // namespace skyflow

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace skyflow;
  if (size < 1) return 0;
  const uint8_t options = data[size - 1];
  const std::string_view body(reinterpret_cast<const char*>(data), size - 1);
  const bool body_is_utf8 = !FindInvalidUtf8(body);
  const size_t objects = static_cast<size_t>(std::count(body.begin(), body.end(), '{'));
  const size_t quotes = static_cast<size_t>(std::count(body.begin(), body.end(), '"'));

  CheckPrintablePrefix(body, options, body_is_utf8);
  CheckPrintablePrefix(body, 200, body_is_utf8);

  const std::string message = ErrorMessageOf(body);
  if (!IsJsonMessageOf(body, message)) {
    FUZZ_CHECK(!message.empty() && message.size() <= 203 && !HasControlCharacter(message),
               "ErrorMessageOf(" + fuzz::Escaped(body) + ") = " + fuzz::Escaped(message));
    FUZZ_CHECK(!body_is_utf8 || !FindInvalidUtf8(message),
               "ErrorMessageOf(" + fuzz::Escaped(body) + ") = " + fuzz::Escaped(message));
  }

  if (Result<size_t> count = CountInsertedRecords(body); count.ok()) {
    FUZZ_CHECK(*count <= objects, std::to_string(*count) + " records inserted, " +
                                      std::to_string(objects) + " objects");
  } else {
    CheckError(count.status(), "CountInsertedRecords", body_is_utf8);
  }

  if (Result<std::vector<RecordAnswer>> answers = DecodeBatchAnswers(body); answers.ok()) {
    FUZZ_CHECK(answers->size() <= objects, std::to_string(answers->size()) + " answers, " +
                                               std::to_string(objects) + " objects");
    for (const RecordAnswer& answer : *answers) {
      // A failure's message may be empty: it is the vault's own, verbatim.
      const bool succeeded = answer.status >= 200 && answer.status < 300;
      FUZZ_CHECK(!succeeded || answer.message.empty(), "status " + std::to_string(answer.status) +
                                                           " with message " +
                                                           fuzz::Escaped(answer.message));
    }
  } else {
    CheckError(answers.status(), "DecodeBatchAnswers", body_is_utf8);
  }

  const size_t tokens_asked = options & 0x1f;
  if (auto values = DecodeDetokenized(body, tokens_asked); values.ok()) {
    FUZZ_CHECK(values->size() == tokens_asked, std::to_string(values->size()) + " values for " +
                                                   std::to_string(tokens_asked) + " tokens");
  } else {
    CheckError(values.status(), "DecodeDetokenized", body_is_utf8);
  }

  if (Result<std::vector<std::string>> found = DecodeFoundValues(body, "ssn"); found.ok()) {
    FUZZ_CHECK(found->size() <= objects, std::to_string(found->size()) + " values found, " +
                                             std::to_string(objects) + " objects");
  } else {
    CheckError(found.status(), "DecodeFoundValues", body_is_utf8);
  }

  if (Result<std::vector<std::string>> ids = DecodePageIds(body); ids.ok()) {
    FUZZ_CHECK(ids->size() <= objects,
               std::to_string(ids->size()) + " ids, " + std::to_string(objects) + " objects");
    for (const std::string& id : *ids)
      FUZZ_CHECK(!id.empty(), "an empty page id");
  } else {
    CheckError(ids.status(), "DecodePageIds", body_is_utf8);
  }

  if (Result<std::vector<std::string>> ids = DecodeDeletedIds(body); ids.ok()) {
    FUZZ_CHECK(ids->size() <= quotes / 2,
               std::to_string(ids->size()) + " ids, " + std::to_string(quotes) + " quotes");
  } else {
    CheckError(ids.status(), "DecodeDeletedIds", body_is_utf8);
  }

  // Either answer is acceptable; it must only come without a crash.
  (void)IsNoRecordsFound(body);
  return 0;
}
