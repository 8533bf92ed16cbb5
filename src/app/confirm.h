// ConfirmOnTerminal: a yes/no question asked on the terminal before a run
// that changes a vault (-clear, -error-log). Callers check first that
// standard input is a terminal, or that -yes was given. Not thread-safe
// (reads std::cin).
#pragma once

#include <cstdio>
#include <string>

namespace skyflow {

// Prints `question` to `out` and reads one line from standard input; true
// for "yes" (any letter case, surrounding blanks ignored), and for "y" too
// when `accept_y`. False for anything else, and at the end of input or when
// a signal interrupts the read.
bool ConfirmOnTerminal(std::FILE* out, const std::string& question, bool accept_y);

}  // namespace skyflow
