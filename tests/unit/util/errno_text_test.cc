#include "util/errno_text.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <thread>
#include <vector>

namespace skyflow {
namespace {

TEST(ErrnoTextTest, DescribesKnownAndUnknownValues) {
  EXPECT_EQ(ErrnoText(ENOENT), "No such file or directory");
  EXPECT_EQ(ErrnoText(EACCES), "Permission denied");
  EXPECT_EQ(ErrnoText(123456), "Unknown error 123456");
}

TEST(ErrnoTextTest, ThreadsDescribingDifferentValuesDoNotMixTheirTexts) {
  std::vector<std::thread> threads;
  std::vector<int> mixed(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &mixed] {
      const int error = 100000 + t;
      const std::string expected = "Unknown error " + std::to_string(error);
      for (int i = 0; i < 2000; ++i) {
        if (ErrnoText(error) != expected) ++mixed[t];
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(mixed, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace skyflow
