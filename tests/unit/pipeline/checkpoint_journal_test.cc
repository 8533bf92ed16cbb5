#include "pipeline/checkpoint_journal.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace skyflow {
namespace {

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/checkpoint_journal_test_" + std::to_string(::getpid()) + "_" +
         name;
}

Checkpoint At(uint64_t next_sequence) {
  Checkpoint checkpoint;
  checkpoint.next_sequence = next_sequence;
  checkpoint.cursor = std::to_string(next_sequence * 10) + ":" + std::to_string(next_sequence + 2);
  checkpoint.batches = next_sequence / 100;
  checkpoint.tally.loaded = next_sequence - 3;
  checkpoint.tally.failed = 1;
  checkpoint.tally.rejected = 2;
  return checkpoint;
}

std::string Content(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(CheckpointJournalTest, AMissingJournalHoldsNoCheckpoint) {
  Result<std::optional<Checkpoint>> read = CheckpointJournal::Read(TempPath("missing"));
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(read->has_value());
}

TEST(CheckpointJournalTest, ReadsBackTheLastCheckpointAppended) {
  const std::string path = TempPath("last");
  std::remove(path.c_str());
  {
    auto journal = CheckpointJournal::Open(path);
    ASSERT_TRUE(journal.ok()) << journal.status().message();
    for (uint64_t sequence : {100, 300, 700})
      ASSERT_TRUE((*journal)->Append(At(sequence)).ok());
  }
  struct stat info {};
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  Result<std::optional<Checkpoint>> read = CheckpointJournal::Read(path);
  ASSERT_TRUE(read.ok()) << read.status().message();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ(**read, At(700));
  std::remove(path.c_str());
}

TEST(CheckpointJournalTest, ATornLastLineIsIgnoredAndCutOffWhenAppendingAgain) {
  const std::string path = TempPath("torn");
  std::remove(path.c_str());
  {
    auto journal = CheckpointJournal::Open(path);
    ASSERT_TRUE((*journal)->Append(At(100)).ok());
  }
  const std::string whole_line = EncodeCheckpointLine(At(200));
  for (size_t cut : {size_t{1}, whole_line.size() / 2, whole_line.size() - 1}) {
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << EncodeCheckpointLine(At(100)) << whole_line.substr(0, cut);
    }
    Result<std::optional<Checkpoint>> read = CheckpointJournal::Read(path);
    ASSERT_TRUE(read.ok()) << "cut at " << cut << ": " << read.status().message();
    EXPECT_EQ(**read, At(100)) << "cut at " << cut;
  }
  {
    auto journal = CheckpointJournal::Open(path);
    ASSERT_TRUE(journal.ok()) << journal.status().message();
    ASSERT_TRUE((*journal)->Append(At(300)).ok());
  }
  EXPECT_EQ(Content(path), EncodeCheckpointLine(At(100)) + EncodeCheckpointLine(At(300)));
  std::remove(path.c_str());
}

TEST(CheckpointJournalTest, DamageBeforeTheLastLineIsAnErrorNotAGuess) {
  const std::string path = TempPath("damaged");
  std::string first = EncodeCheckpointLine(At(100));
  first[first.size() / 2] ^= 0x01;  // a flipped bit: the checksum no longer matches
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << first << EncodeCheckpointLine(At(200));
  }
  Result<std::optional<Checkpoint>> read = CheckpointJournal::Read(path);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find(path + ":1"), std::string::npos);
  std::remove(path.c_str());
}

TEST(CheckpointJournalTest, CompactionBoundsTheFileAndKeepsTheLatestCheckpoint) {
  const std::string path = TempPath("compact");
  std::remove(path.c_str());
  const size_t line_size = EncodeCheckpointLine(At(1000)).size();
  const uint64_t appends = 3 * CheckpointJournal::kCompactBytes / line_size;
  {
    auto journal = CheckpointJournal::Open(path);
    for (uint64_t i = 1; i <= appends; ++i) {
      ASSERT_TRUE((*journal)->Append(At(1000 + i)).ok());
      struct stat info {};
      ASSERT_EQ(stat(path.c_str(), &info), 0);
      ASSERT_LE(static_cast<uint64_t>(info.st_size), CheckpointJournal::kCompactBytes);
    }
  }
  Result<std::optional<Checkpoint>> read = CheckpointJournal::Read(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(**read, At(1000 + appends));
  struct stat info {};
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace skyflow
