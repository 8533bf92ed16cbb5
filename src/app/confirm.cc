#include "app/confirm.h"

#include <iostream>
#include <string_view>

#include "util/ascii.h"

namespace skyflow {

bool ConfirmOnTerminal(std::FILE* out, const std::string& question, bool accept_y) {
  std::fprintf(out, "%s", question.c_str());
  std::fflush(out);
  std::string line;
  if (!std::getline(std::cin, line)) {
    std::fprintf(out, "\n");
    return false;
  }
  const size_t first = line.find_first_not_of(" \t\r");
  const size_t last = line.find_last_not_of(" \t\r");
  if (first == std::string::npos) return false;
  const std::string_view answer = std::string_view(line).substr(first, last - first + 1);
  return EqualsIgnoreCase(answer, "yes") || (accept_y && EqualsIgnoreCase(answer, "y"));
}

}  // namespace skyflow
