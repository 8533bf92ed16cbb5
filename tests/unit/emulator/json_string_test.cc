#include "emulator/common/json_string.h"

#include <gtest/gtest.h>

#include <string>

#include "util/json_writer.h"

namespace skyflow::emulator {
namespace {

TEST(JsonStringTest, DetectsEveryCharacterThatNeedsEscaping) {
  EXPECT_FALSE(NeedsJsonEscaping(""));
  EXPECT_FALSE(NeedsJsonEscaping("tok_1700000000_abcdefgh12345678 \x7f\xc3\xa9"));
  // At every position, so both the 8-byte and the tail paths are covered.
  for (const char special : {'"', '\\', '\n', '\x01', '\x1f', '\0'}) {
    for (size_t position = 0; position < 20; ++position) {
      std::string text(20, 'a');
      text[position] = special;
      EXPECT_TRUE(NeedsJsonEscaping(text)) << static_cast<int>(special) << " at " << position;
    }
  }
}

TEST(JsonStringTest, WritesTheSameAsJsonWriterString) {
  for (const std::string text :
       {"plain-token", "with \"quote\"", "tab\there", "\xc3\xa9t\xc3\xa9"}) {
    std::string fast;
    std::string reference;
    std::string scratch;
    JsonWriter fast_writer(&fast);
    fast_writer.BeginArray();
    WriteJsonString(&fast_writer, text, &scratch);
    WriteJsonString(&fast_writer, text, &scratch);
    fast_writer.EndArray();
    JsonWriter reference_writer(&reference);
    reference_writer.BeginArray().String(text).String(text).EndArray();
    EXPECT_EQ(fast, reference);
  }
}

}  // namespace
}  // namespace skyflow::emulator
