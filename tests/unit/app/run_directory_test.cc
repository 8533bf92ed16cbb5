#include "app/run_directory.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "app/flags.h"

namespace skyflow {
namespace {

class RunDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "run_directory_test_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    parent_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(parent_); }

  std::string parent_;
};

TEST_F(RunDirectoryTest, ManifestRoundTripsAndTheDirectoryIsPrivate) {
  const std::string directory = parent_ + "/run";
  ASSERT_TRUE(CreateRunDirectory(directory).ok());
  struct stat info {};
  ASSERT_EQ(stat(directory.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);

  RunManifest manifest;
  manifest.started = "20261130_061500";
  manifest.arguments = {"-config", "c.json", "-vault", "name \"quoted\""};
  manifest.vaults.push_back({"NAME",
                             ErrorLogFileName("NAME", manifest.started),
                             JournalFileName("NAME"),
                             {{"data file", "/d/x.csv"}}});
  ASSERT_TRUE(WriteRunManifest(directory, manifest).ok());
  Result<RunManifest> read = ReadRunManifest(directory);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->started, manifest.started);
  EXPECT_EQ(read->arguments, manifest.arguments);
  ASSERT_EQ(read->vaults.size(), 1u);
  EXPECT_EQ(read->vaults[0].error_log, "error_log_NAME_20261130_061500.jsonl");
  EXPECT_EQ(read->vaults[0].journal, "checkpoint_NAME.journal");
  EXPECT_EQ(read->vaults[0].source, manifest.vaults[0].source);
  ASSERT_NE(read->FindVault("NAME"), nullptr);
  EXPECT_EQ(read->FindVault("SSN"), nullptr);

  const Status again = CreateRunDirectory(directory);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.message().find("-resume"), std::string::npos) << again.message();
}

TEST_F(RunDirectoryTest, ADirectoryWithoutARunSaysHowToGoOn) {
  Result<RunManifest> read = ReadRunManifest(parent_);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("without -resume"), std::string::npos);
  Result<std::string> latest = LatestRunDirectory(parent_);
  ASSERT_FALSE(latest.ok());
  EXPECT_NE(latest.status().message().find("-run-dir"), std::string::npos);
}

TEST_F(RunDirectoryTest, LatestIsTheRunStartedLast) {
  for (const char* name : {"skyflow-run_20261130_090000", "skyflow-run_20261130_080000"}) {
    const std::string directory = parent_ + "/" + name;
    ASSERT_TRUE(CreateRunDirectory(directory).ok());
    RunManifest manifest;
    manifest.started = name;
    ASSERT_TRUE(WriteRunManifest(directory, manifest).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::filesystem::create_directories(parent_ + "/skyflow-run_20991231_000000");  // no manifest
  std::filesystem::create_directories(parent_ + "/data");
  Result<std::string> latest = LatestRunDirectory(parent_);
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(std::filesystem::path(*latest).filename(), "skyflow-run_20261130_080000");
}

TEST_F(RunDirectoryTest, OneLoaderAtATimeInARunDirectory) {
  Result<std::unique_ptr<RunDirectoryLock>> first = RunDirectoryLock::Acquire(parent_);
  ASSERT_TRUE(first.ok()) << first.status().message();
  Result<std::unique_ptr<RunDirectoryLock>> second = RunDirectoryLock::Acquire(parent_);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("in use by another loader (process " +
                                           std::to_string(::getpid()) + ")"),
            std::string::npos)
      << second.status().message();
  first->reset();
  EXPECT_TRUE(RunDirectoryLock::Acquire(parent_).ok()) << "released with its holder";
}

TEST_F(RunDirectoryTest, WhoHoldsTheLockWithoutTakingIt) {
  // No lock file: no loader ever worked here, and the probe makes none.
  Result<std::optional<std::string>> nobody = RunDirectoryLock::Holder(parent_);
  ASSERT_TRUE(nobody.ok()) << nobody.status().message();
  EXPECT_FALSE(nobody->has_value());
  EXPECT_FALSE(std::filesystem::exists(parent_ + "/lock"));

  Result<std::unique_ptr<RunDirectoryLock>> held = RunDirectoryLock::Acquire(parent_);
  ASSERT_TRUE(held.ok());
  Result<std::optional<std::string>> holder = RunDirectoryLock::Holder(parent_);
  ASSERT_TRUE(holder.ok());
  EXPECT_EQ(*holder, std::to_string(::getpid()));
  // Probing took nothing away: the holder still holds, a second loader is refused.
  EXPECT_FALSE(RunDirectoryLock::Acquire(parent_).ok());

  held->reset();
  Result<std::optional<std::string>> released = RunDirectoryLock::Holder(parent_);
  ASSERT_TRUE(released.ok());
  EXPECT_FALSE(released->has_value()) << "the lock file stays, nobody holds it";
  EXPECT_TRUE(RunDirectoryLock::Acquire(parent_).ok());
}

TEST_F(RunDirectoryTest, TheLastRunWithoutAnEndIsRunningOnlyWhileALoaderHoldsTheDirectory) {
  ASSERT_TRUE(AppendRunEvent(parent_, {1, false, "T1", 0, ""}).ok());
  ASSERT_TRUE(AppendRunEvent(parent_, {1, true, "T2", 100, "interrupted"}).ok());
  ASSERT_TRUE(AppendRunEvent(parent_, {2, false, "T3", 100, ""}).ok());
  const std::vector<RunEvent> events = ReadRunEvents(parent_);
  EXPECT_EQ(DescribeRuns(events).back(), "run 2  started T3  running  0 rows settled");
  EXPECT_EQ(DescribeRuns(events, true, 450).back(), "run 2  started T3  running  350 rows settled");
  EXPECT_EQ(DescribeRuns(events, false, 450).back(),
            "run 2  started T3  stopped without an end (killed, or the machine went down)  350 "
            "rows settled");
  EXPECT_EQ(DescribeRuns(events, false).front(),
            "run 1  started T1  interrupted at T2  100 rows settled");
}

TEST(RunDirectoryNamesTest, VaultNamesAreMadeSafeForFileNames) {
  EXPECT_EQ(ErrorLogFileName("a/b c", "20261130_061500"), "error_log_a_b_c_20261130_061500.jsonl");
  EXPECT_EQ(JournalFileName("../x"), "checkpoint____x.journal");
}

TEST_F(RunDirectoryTest, EachRunOfALoadIsDescribedEvenOneThatWasKilled) {
  ASSERT_TRUE(AppendRunEvent(parent_, {1, false, "T1", 0, ""}).ok());
  // Run 1 was killed: no end line. Run 2 starts from its checkpoints.
  ASSERT_TRUE(AppendRunEvent(parent_, {2, false, "T2", 1200, ""}).ok());
  ASSERT_TRUE(AppendRunEvent(parent_, {2, true, "T3", 1500, "interrupted"}).ok());
  ASSERT_TRUE(AppendRunEvent(parent_, {3, false, "T4", 1500, ""}).ok());
  ASSERT_TRUE(AppendRunEvent(parent_, {3, true, "T5", 4000, "complete"}).ok());
  {
    std::ofstream torn(parent_ + "/runs.jsonl", std::ios::app);
    torn << R"({"run":4,"ev)";
  }
  const std::vector<std::string> lines = DescribeRuns(ReadRunEvents(parent_));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0],
            "run 1  started T1  stopped without an end (killed, or the machine went "
            "down)  1200 rows settled");
  EXPECT_EQ(lines[1], "run 2  started T2  interrupted at T3  300 rows settled");
  EXPECT_EQ(lines[2], "run 3  started T4  complete at T5  2500 rows settled");
}

TEST(SourceChangeTest, NamesWhatDiffers) {
  const std::vector<SourceFact> before = {{"data file", "/d/a.csv"}, {"data file size", "10"}};
  EXPECT_EQ(DescribeSourceChange(before, before), "");
  EXPECT_EQ(DescribeSourceChange(before, {{"data file", "/d/a.csv"}, {"data file size", "12"}}),
            "data file size: 10 then, 12 now");
  EXPECT_EQ(DescribeSourceChange(before, {{"data file", "/d/a.csv"}}),
            "data file size: 10 then, missing now");
}

TEST(ArgumentsWithoutTest, DropsSecretsAndNamedFlagsWithTheirValues) {
  const std::vector<std::string> args = {
      "-config", "c.json",     "-token",  "s3cret",   "--run-dir=r", "-resume",      "-vault",
      "name",    "-token=abc", "-upsert", "-run-dir", "other",       "-sf-password", "pw"};
  EXPECT_EQ(ArgumentsWithout(args, {"resume", "run-dir"}),
            (std::vector<std::string>{"-config", "c.json", "-vault", "name", "-upsert"}));
  EXPECT_EQ(ArgumentsWithout(args, {}).size(), args.size() - 5)
      << "-token x, -token=, -sf-password x";
}

}  // namespace
}  // namespace skyflow
