// Times as RFC 3339 text ("2025-10-09T15:30:45Z"), the form the error logs
// (ours and the Go loader's) write them in. Stateless; thread-safe.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace skyflow {

// "YYYY-MM-DDTHH:MM:SSZ", in UTC, whole seconds.
std::string FormatRfc3339Utc(std::time_t time);

// The moment `text` names: "YYYY-MM-DDTHH:MM:SS", optional fraction of a
// second (ignored), then "Z" or an offset "+HH:MM" / "-HH:MM" ('t' and 'z'
// accepted too, as RFC 3339 allows). nullopt for anything else.
std::optional<std::time_t> ParseRfc3339(std::string_view text);

}  // namespace skyflow
