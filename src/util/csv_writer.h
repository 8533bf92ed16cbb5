// AppendCsvField: the writing half of RFC 4180, for the generator's CSV
// files and the emulator's export; csv_reader.h reads what it writes.
// Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace skyflow {

// Appends `field` to `out` as one RFC 4180 field: enclosed in quotes, with
// quotes doubled, when it contains the delimiter, a quote, CR or LF, or
// starts with a UTF-8 byte order mark (which a reader drops at the start of
// a file); as is otherwise.
void AppendCsvField(std::string_view field, char delimiter, std::string* out);

}  // namespace skyflow
