// PrintablePrefix: how text received from a server is quoted in a message.
//
// Bodies echoed into messages are bounded and stripped of control characters
// so a misbehaving server cannot flood or garble the terminal. Pure function;
// thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace skyflow {

// A bounded prefix of `body` with control characters blanked, safe to echo;
// "..." marks a cut. Never splits a UTF-8 character.
std::string PrintablePrefix(std::string_view body, size_t limit = 200);

}  // namespace skyflow
