// ParseDuration: a duration written as Go's time.ParseDuration accepts it
// ("30m", "1h30m", "90s", "250ms", "1.5h"), or a plain number of seconds.
// Stateless; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace skyflow {

// nullopt when `text` is not a non-negative duration.
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

// "30 min", "1 h 5 min", "1.5 s", "250 ms": for messages.
std::string FormatDuration(std::chrono::milliseconds duration);

}  // namespace skyflow
