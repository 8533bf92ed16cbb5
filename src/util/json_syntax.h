// JSON syntax errors located for people: where a text stops being valid JSON
// (RFC 8259) and what is wrong there, in terms a person editing it by hand can
// act on (trailing commas, comments, single quotes, missing commas).
//
// simdjson reports an error code but not where it happened, so this small
// recursive-descent scanner runs on the error path only: its speed does not
// matter. It checks structure and what simdjson refuses besides (numbers it
// cannot hold, half of a UTF-16 surrogate pair), not UTF-8 (utf8.h does
// that).
// Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace skyflow {

struct JsonSyntaxError {
  size_t offset = 0;   // first byte that cannot continue the value (size() if it ends early)
  std::string reason;  // "expected ',' or '}' after an object member, found ']'"
};

// The first syntax error in `text`, or nullopt when it is one valid JSON value.
std::optional<JsonSyntaxError> FindJsonSyntaxError(std::string_view text);

// 1-based line and column of a byte offset; columns count bytes, as the CSV
// reader's do, so every "file:line:column" the project prints means the same.
struct TextPosition {
  size_t line = 1;
  size_t column = 1;
};

TextPosition PositionOf(std::string_view text, size_t offset);

// kParseError "file:line:column: invalid JSON: reason": how every JSON file
// the project reads (the loader's config, the emulator's schema) says where
// it goes wrong.
Status JsonErrorAt(std::string_view file_name, std::string_view text, size_t offset,
                   std::string_view reason);

// Why a JSON file the parser refused is wrong, in the same shape: not UTF-8,
// empty (`empty_hint` says what was expected), or where its syntax breaks;
// the parser's own `parser_message` when none of these is found.
Status DescribeJsonFileError(std::string_view file_name, std::string_view text,
                             std::string_view empty_hint, std::string_view parser_message);

}  // namespace skyflow
