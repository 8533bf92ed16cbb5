// COPY text format: how a value travels in COPY ... FROM STDIN (FORMAT text).
//
// Fields are separated by a tab, rows end with a newline, NULL is \N, and
// a backslash, tab, newline or carriage return inside a value is written as
// \\, \t, \n, \r; every other byte (UTF-8 included) goes as it is. Pure
// functions; thread-safe.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace skyflow::postgres {

// Appends `value` escaped for COPY text format.
void AppendCopyText(std::string_view value, std::string* out);

// Appends one row: the fields escaped, separated by tabs, ending in '\n'.
void AppendCopyRow(std::initializer_list<std::string_view> fields, std::string* out);

}  // namespace skyflow::postgres
