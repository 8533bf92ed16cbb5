#include "pipeline/pair_check.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "pipeline/mismatch_list.h"

namespace skyflow {
namespace {

TEST(ComparePairTest, ClassifiesWhatTheVaultAnswered) {
  EXPECT_EQ(ComparePair("Ann", std::string("Ann")), PairVerdict::kMatching);
  EXPECT_EQ(ComparePair("Ann", std::nullopt), PairVerdict::kMissing);
  EXPECT_EQ(ComparePair("Ann", std::string("Bob")), PairVerdict::kDifferent);
  // Byte for byte: no case folding, no trimming.
  EXPECT_EQ(ComparePair("Ann", std::string("ann")), PairVerdict::kDifferent);
  EXPECT_EQ(ComparePair("Ann", std::string("Ann ")), PairVerdict::kDifferent);
  // An empty value found is still a value, not a missing token.
  EXPECT_EQ(ComparePair("Ann", std::string()), PairVerdict::kDifferent);
}

TEST(ComparePairTest, NamesAreTheListFileReasons) {
  EXPECT_STREQ(PairVerdictName(PairVerdict::kMatching), "matching");
  EXPECT_STREQ(PairVerdictName(PairVerdict::kMissing), "missing");
  EXPECT_STREQ(PairVerdictName(PairVerdict::kDifferent), "different");
}

TEST(PairCountsTest, CountsEachVerdictAndAddsUp) {
  PairCounts counts;
  counts.Add(PairVerdict::kMatching);
  counts.Add(PairVerdict::kMatching);
  counts.Add(PairVerdict::kMissing);
  counts.Add(PairVerdict::kDifferent);
  EXPECT_EQ(counts.checked, 4u);
  EXPECT_EQ(counts.matching, 2u);
  EXPECT_EQ(counts.missing, 1u);
  EXPECT_EQ(counts.different, 1u);
  EXPECT_EQ(counts.mismatched(), 2u);
  PairCounts total;
  total.Add(counts);
  total.Add(counts);
  EXPECT_EQ(total.checked, 8u);
  EXPECT_EQ(total.mismatched(), 4u);
}

TEST(MismatchLineTest, IsOneJsonObjectWithEveryField) {
  const Record record{16, 17, "Ann \"A\" Lee", "tok-16"};
  const std::string missing =
      MismatchLine("NAME", "data/name_data.csv", record, std::nullopt, PairVerdict::kMissing);
  EXPECT_EQ(missing,
            R"({"vault":"NAME","origin":"data/name_data.csv:17","sequence":16,"token":"tok-16",)"
            R"("expected_value":"Ann \"A\" Lee","found_value":null,"reason":"missing"})"
            "\n");
  const std::string different = MismatchLine("NAME", "data/name_data.csv", record,
                                             std::string("Bob"), PairVerdict::kDifferent);
  simdjson::dom::parser parser;
  simdjson::dom::element line = parser.parse(different);
  EXPECT_EQ(line["found_value"].get_string().value(), "Bob");
  EXPECT_EQ(line["reason"].get_string().value(), "different");
  EXPECT_EQ(line["sequence"].get_uint64().value(), 16u);
}

std::string TempPath(const char* name) {
  return ::testing::TempDir() + "/" + name + std::to_string(::getpid());
}

TEST(MismatchListTest, CreatesAPrivateFileAndReplacesAnOldOne) {
  const std::string path = TempPath("mismatch_list_");
  {
    std::ofstream old(path);
    old << "an earlier run\n";
  }
  ::chmod(path.c_str(), 0644);
  MismatchList list;
  ASSERT_TRUE(list.Create(path).ok());
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const Record record{0, 2, "v", "t"};
  ASSERT_TRUE(list.Append("SSN", "f.csv", record, std::nullopt, PairVerdict::kMissing).ok());
  ASSERT_TRUE(list.Append("SSN", "f.csv", record, std::string("w"), PairVerdict::kDifferent).ok());
  EXPECT_EQ(list.lines(), 2u);
  ASSERT_TRUE(list.Close().ok());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(),
            MismatchLine("SSN", "f.csv", record, std::nullopt, PairVerdict::kMissing) +
                MismatchLine("SSN", "f.csv", record, std::string("w"), PairVerdict::kDifferent));
  std::remove(path.c_str());
}

TEST(MismatchListTest, AnUnwritablePlaceIsAnErrorNamingTheFlag) {
  MismatchList list;
  const Status status = list.Create("/nonexistent-dir/verify.jsonl");
  EXPECT_EQ(status.code(), StatusCode::kIoError);
  EXPECT_NE(status.message().find("-verify-report"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace skyflow
