#include "util/redact.h"

#include <cstdio>

#include "util/sha256.h"

namespace skyflow {

std::string Redact(std::string_view secret) {
  if (secret.empty()) return "<empty>";
  const Sha256Digest digest = Sha256({secret});
  char fingerprint[7];
  std::snprintf(fingerprint, sizeof(fingerprint), "%02x%02x%02x", digest[0], digest[1], digest[2]);
  return "<redacted: " + std::to_string(secret.size()) + " chars, sha256 " + fingerprint + ">";
}

std::string ScrubSecrets(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    // Shorter "secrets" (a placeholder such as "x") cannot be told from
    // ordinary text: replacing them would garble every message without
    // protecting anything a real credential needs.
    if (secret.size() < kShortestScrubbedSecret) continue;
    const std::string replacement = Redact(secret);
    size_t position = 0;
    while ((position = text.find(secret, position)) != std::string::npos) {
      text.replace(position, secret.size(), replacement);
      position += replacement.size();
    }
  }
  return text;
}

}  // namespace skyflow
