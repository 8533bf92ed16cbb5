// RecordContentProblem: whether a (value, token) pair can be sent at all,
// whatever source it comes from. Stateless; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace skyflow {

// Why the pair cannot become a record, or empty when it can: "empty value",
// "empty token", "empty value and token"; else a NUL byte (the file is most
// likely UTF-16) and text that is not UTF-8 (it cannot travel in JSON),
// every one found, joined with "; ". The messages end with what to do.
std::string RecordContentProblem(std::string_view value, std::string_view token);

// The same for a row of a SQL result, where a cell may be NULL (nullopt):
// "NULL value", "NULL token", "NULL value and token", else the problems
// above.
std::string SqlRowProblem(std::optional<std::string_view> value,
                          std::optional<std::string_view> token);

}  // namespace skyflow
