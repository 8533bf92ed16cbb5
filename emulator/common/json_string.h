// WriteJsonString: a JsonWriter string value, without the byte-by-byte
// escaping pass when the text needs none.
//
// An insert answer echoes a token and an id for every record (about 25 KB
// for 300 records), and AppendJsonEscaped examines each byte; the common
// token has nothing to escape, which an 8-bytes-at-a-time scan establishes
// several times faster. Such text goes in through JsonWriter::Raw, already
// quoted; anything else through JsonWriter::String. The output is the same
// either way. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "util/json_writer.h"

namespace skyflow::emulator {

// True if `text` holds a quote, a backslash or a control character.
bool NeedsJsonEscaping(std::string_view text);

// Writes `text` as a string value; `scratch` is reused to quote it.
void WriteJsonString(JsonWriter* json, std::string_view text, std::string* scratch);

}  // namespace skyflow::emulator
