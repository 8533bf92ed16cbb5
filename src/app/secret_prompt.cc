#include "app/secret_prompt.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace skyflow {

namespace {

std::optional<std::string> Prompt(const std::string& prompt, bool echo) {
  if (!::isatty(STDIN_FILENO)) return std::nullopt;
  std::fprintf(stderr, "%s", prompt.c_str());
  std::fflush(stderr);
  termios original{};
  const bool have_terminal = !echo && ::tcgetattr(STDIN_FILENO, &original) == 0;
  if (have_terminal) {
    termios silent = original;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &silent);
  }
  std::string line;
  std::getline(std::cin, line);
  if (have_terminal) ::tcsetattr(STDIN_FILENO, TCSANOW, &original);
  if (!echo) std::fprintf(stderr, "\n");
  while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
    line.pop_back();
  if (line.empty()) return std::nullopt;
  return line;
}

}  // namespace

std::optional<std::string> PromptForSecret(const std::string& prompt) {
  return Prompt(prompt, false);
}

std::optional<std::string> PromptForText(const std::string& prompt) {
  return Prompt(prompt, true);
}

}  // namespace skyflow
