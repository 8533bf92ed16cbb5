#include "util/rfc3339.h"

#include <gtest/gtest.h>

namespace skyflow {
namespace {

TEST(Rfc3339Test, FormatsInUtc) {
  EXPECT_EQ(FormatRfc3339Utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339Utc(1760027445), "2025-10-09T16:30:45Z");
}

TEST(Rfc3339Test, ParsesZuluOffsetsAndFractions) {
  EXPECT_EQ(ParseRfc3339("2025-10-09T16:30:45Z"), 1760027445);
  EXPECT_EQ(ParseRfc3339("2025-10-09t16:30:45z"), 1760027445);
  EXPECT_EQ(ParseRfc3339("2025-10-09T16:30:45.123456789Z"), 1760027445);
  EXPECT_EQ(ParseRfc3339("2025-10-09T18:30:45+02:00"), 1760027445);
  EXPECT_EQ(ParseRfc3339("2025-10-09T11:30:45-05:00"), 1760027445);
}

TEST(Rfc3339Test, RefusesAnythingElse) {
  for (const char* text :
       {"", "2025-10-09", "2025-10-09T16:30:45", "2025-10-09 16:30:45Z", "2025-13-09T16:30:45Z",
        "2025-10-09T16:30:45.Z", "2025-10-09T16:30:45+0200", "2025-10-09T16:30:45Zjunk"}) {
    EXPECT_EQ(ParseRfc3339(text), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace skyflow
