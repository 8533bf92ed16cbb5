// README.md stays true to the program: its flag table is what
// `skyflow-loader -help=markdown` prints (the registry -help reads), and every
// message its Troubleshooting section quotes is still in the source.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {
namespace {

using std::chrono::seconds;

const std::string kReadme = std::string(SKYFLOW_SOURCE_DIR) + "/README.md";

// The README's text from the line after `begin` up to the line `end`.
std::string Between(const std::string& text, const std::string& begin, const std::string& end) {
  const size_t from = text.find(begin);
  if (from == std::string::npos) return "";
  const size_t start = from + begin.size();
  const size_t to = text.find(end, start);
  if (to == std::string::npos) return "";
  return text.substr(start, to - start);
}

TEST(ReadmeTest, FlagTableIsTheProgramsOwn) {
  TempDir dir;
  const ProcessResult help =
      RunProcess(SKYFLOW_LOADER_PATH, {"-help=markdown"}, dir.path(), seconds(30));
  ASSERT_EQ(help.exit_code, 0) << help.err;
  ASSERT_NE(help.out.find("| `-batch-size N` |"), std::string::npos) << help.out;
  const std::string readme = ReadFile(kReadme);
  const std::string table = Between(readme, "<!-- flags:begin -->\n", "<!-- flags:end -->");
  const std::string expected = "\n" + help.out + "\n";
  if (table == expected) return;
  // The first line that differs, rather than two pages of table.
  size_t line = 1, at = 0;
  while (at < table.size() && at < expected.size() && table[at] == expected[at]) {
    if (table[at] == '\n') ++line;
    ++at;
  }
  const auto line_at = [](const std::string& text, size_t position) {
    const size_t start = text.rfind('\n', position == 0 ? 0 : position - 1);
    const size_t from = start == std::string::npos || position == 0 ? 0 : start + 1;
    return text.substr(from, text.find('\n', from) - from);
  };
  ADD_FAILURE() << "README.md's flag table differs from skyflow-loader -help=markdown: run "
                   "scripts/update-readme-flags.sh\n  first difference, line "
                << line << " of the table:\n  README:  " << line_at(table, at)
                << "\n  program: " << line_at(expected, at);
}

// The string literals of C++ source `code`, unescaped, those written one
// after the other ("a " "b", "a " + "b") joined into one: a message split
// over lines reads whole. Unrelated literals are kept apart by a newline.
// A small lexer: comments and character literals are skipped, so that a
// quote in them does not start a string.
std::string StringLiterals(const std::string& code) {
  std::string out;
  bool joinable = false;  // only blanks and '+' since the last literal
  size_t i = 0;
  while (i < code.size()) {
    const char c = code[i];
    if (c == '/' && i + 1 < code.size() && code[i + 1] == '/') {
      i = code.find('\n', i);
      if (i == std::string::npos) break;
      continue;
    }
    if (c == '/' && i + 1 < code.size() && code[i + 1] == '*') {
      i = code.find("*/", i + 2);
      if (i == std::string::npos) break;
      i += 2;
      continue;
    }
    if (c == '\'' || c == '"') {
      std::string literal;
      size_t j = i + 1;
      while (j < code.size() && code[j] != c && code[j] != '\n') {
        if (code[j] == '\\' && j + 1 < code.size()) {
          const char escaped = code[++j];
          literal += escaped == 'n' ? '\n' : escaped == 't' ? '\t' : escaped;
        } else {
          literal += code[j];
        }
        ++j;
      }
      i = j + 1;
      if (c == '\'') {
        joinable = false;
        continue;
      }
      if (!joinable) out += '\n';
      out += literal;
      joinable = true;
      continue;
    }
    if (c != ' ' && c != '\n' && c != '\t' && c != '+') joinable = false;
    ++i;
  }
  return out;
}

// What every source file under src/ says in its string literals.
std::string SourceText() {
  std::string all;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(std::string(SKYFLOW_SOURCE_DIR) + "/src")) {
    const std::string extension = entry.path().extension().string();
    if (entry.is_regular_file() && (extension == ".cc" || extension == ".h")) {
      all += StringLiterals(ReadFile(entry.path().string()));
    }
  }
  return all;
}

TEST(ReadmeTest, StringLiteralsAreJoinedAsTheCompilerJoinsThem) {
  EXPECT_EQ(StringLiterals("f(\"a \"\n   \"b\\\"c\" + x + \"d\" /* \"no\" */ + \"e\"); // \"f\"\n"
                           "char q = '\"'; g(\"h\");"),
            "\na b\"c\nde\nh");
}

TEST(ReadmeTest, TroubleshootingQuotesMessagesTheProgramPrints) {
  const std::string readme = ReadFile(kReadme);
  const std::string section = Between(readme, "\n## Troubleshooting\n", "\n## ");
  ASSERT_FALSE(section.empty()) << "no Troubleshooting section in README.md";
  const std::string source = SourceText();
  const std::regex heading("^#### `(.+)`$");
  int messages = 0;
  size_t start = 0;
  while (start < section.size()) {
    size_t end = section.find('\n', start);
    if (end == std::string::npos) end = section.size();
    const std::string line = section.substr(start, end - start);
    start = end + 1;
    std::smatch match;
    if (!std::regex_match(line, match, heading)) continue;
    ++messages;
    // "…" stands for what varies: each part between is quoted exactly.
    const std::string message = match[1];
    const std::string ellipsis = "\xE2\x80\xA6";
    size_t longest = 0;
    size_t from = 0;
    while (from <= message.size()) {
      size_t to = message.find(ellipsis, from);
      if (to == std::string::npos) to = message.size();
      const std::string part = message.substr(from, to - from);
      from = to + ellipsis.size();
      if (part.size() < 4) continue;  // punctuation between two variable parts
      longest = std::max(longest, part.size());
      EXPECT_NE(source.find(part), std::string::npos)
          << "README.md's Troubleshooting quotes \"" << part
          << "\", which no longer occurs in src/: update the section to the message printed now";
    }
    EXPECT_GE(longest, 12u) << "too little of the message is quoted to check: " << message;
  }
  EXPECT_GE(messages, 15) << section;
}

}  // namespace
}  // namespace skyflow::testing
