#include "util/printable_text.h"

#include <gtest/gtest.h>

#include <string>

#include "util/utf8.h"

namespace skyflow {
namespace {

TEST(PrintablePrefixTest, BoundsTheTextAndBlanksControlCharacters) {
  EXPECT_EQ(PrintablePrefix("short\r\n\x1b[0m", 200), "short   [0m");
  EXPECT_EQ(PrintablePrefix(std::string(300, 'x'), 200), std::string(200, 'x') + "...");
}

// Found by the vault_responses fuzz target: a body cut at 200 bytes in the
// middle of a character gave a message that was not UTF-8, which the
// rejects file (JSON) cannot hold.
TEST(PrintablePrefixTest, DoesNotCutACharacterInTwo) {
  const std::string body = std::string(199, 'x') + "\xC3\xA9 caf\xC3\xA9";
  const std::string text = PrintablePrefix(body, 200);
  EXPECT_EQ(text, std::string(199, 'x') + "...");
  EXPECT_EQ(FindInvalidUtf8(text), std::nullopt);

  const std::string emoji = std::string(198, 'x') + "\xF0\x9F\x98\x80";
  EXPECT_EQ(PrintablePrefix(emoji, 200), std::string(198, 'x') + "...");
  EXPECT_EQ(PrintablePrefix(emoji, 202), emoji);
}

}  // namespace
}  // namespace skyflow
