// Redaction: how the read and detokenize endpoints show a stored value
// (spec section 5; Skyflow's RedactionType).
//   PLAIN_TEXT  the value as stored
//   MASKED      every character but the last four replaced by '*' (all of
//               them when the value has four or fewer), counted in code
//               points so the result stays UTF-8
//   REDACTED    the constant "*REDACTED*"
//   DEFAULT     the column's default policy; the emulator has no schema and
//               treats every column as sensitive, so DEFAULT masks as MASKED
//               does (the safe choice: a client that wants values asks for
//               PLAIN_TEXT, as a verification must)
// Stateless; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace skyflow::emulator {

enum class Redaction { kDefault, kPlainText, kMasked, kRedacted };

// "PLAIN_TEXT", "MASKED", "REDACTED", "DEFAULT" (exactly, as the API spells
// them); nullopt for anything else.
std::optional<Redaction> ParseRedaction(std::string_view text);

// For error messages.
inline constexpr std::string_view kRedactionNames = "PLAIN_TEXT, MASKED, REDACTED or DEFAULT";

// Appends `value` as `redaction` shows it to `out`. `value` must be UTF-8
// (stored values are: the insert parser checked them).
void AppendRedacted(Redaction redaction, std::string_view value, std::string* out);
std::string Redacted(Redaction redaction, std::string_view value);

}  // namespace skyflow::emulator
