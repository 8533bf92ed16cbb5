// Asking for a secret on the terminal, without echoing it, as the Go loader
// does when no bearer token is configured.
#pragma once

#include <optional>
#include <string>

namespace skyflow {

// Prints `prompt` to stderr and reads one line from the terminal with echo
// off. nullopt when standard input is not a terminal (scripts, CI, -offline):
// the caller must then say how else to provide the secret.
std::optional<std::string> PromptForSecret(const std::string& prompt);

// The same with echo on, for what is not secret (a user name).
std::optional<std::string> PromptForText(const std::string& prompt);

}  // namespace skyflow
