// Redaction: the one place that decides how a secret looks in output.
//
// Bearer tokens, passwords and private keys must never reach a log line, an
// error message, a summary or a file. Code that has to mention one (to say
// which token was rejected, say) prints Redact(secret): its length and a
// short fingerprint, enough to tell two tokens apart, nothing to reuse.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace skyflow {

// "<redacted: 412 chars, sha256 1f3a9c>" ("<empty>" for an empty secret).
std::string Redact(std::string_view secret);

// Secrets shorter than this are left alone by ScrubSecrets (see there).
inline constexpr size_t kShortestScrubbedSecret = 4;

// Replaces every occurrence of each secret of at least
// kShortestScrubbedSecret characters in `text` with Redact(secret). For
// server bodies and messages that might echo a secret.
std::string ScrubSecrets(std::string text, const std::vector<std::string>& secrets);

}  // namespace skyflow
