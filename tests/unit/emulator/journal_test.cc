#include "emulator/store/journal.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

namespace skyflow::emulator {
namespace {

// Records what replay hands back, as text, for exact comparison.
class RecordingVisitor : public JournalVisitor {
 public:
  Status OnPut(std::string_view table, const Uuid& id, JournalPut put,
               const std::vector<JournalField>& fields) override {
    // The put kind shows only when it is not the usual kCreate.
    std::string line = "put " + std::string(table) + " " + UuidText(id);
    if (put == JournalPut::kUpdate) line += " (update)";
    if (put == JournalPut::kCreateOrUpdate) line += " (create or update)";
    for (const JournalField& field : fields) {
      line += " " + std::string(field.column) + "=" + std::string(field.value) + "/" +
              std::string(field.token);
    }
    lines.push_back(line);
    return Status::Ok();
  }
  Status OnDelete(std::string_view table, const std::vector<Uuid>& ids) override {
    std::string line = "delete " + std::string(table);
    for (const Uuid& id : ids)
      line += " " + UuidText(id);
    lines.push_back(line);
    return Status::Ok();
  }
  Status OnDeleteAll(std::string_view table) override {
    lines.push_back("delete-all " + std::string(table));
    return Status::Ok();
  }
  Status OnReset() override {
    lines.push_back("reset");
    return Status::Ok();
  }
  std::vector<std::string> lines;
};

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "journal-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/data.journal";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Journal> Open(RecordingVisitor* visitor, JournalReplayStats* stats) {
    Result<std::unique_ptr<Journal>> journal = Journal::Open(path_, visitor, stats);
    EXPECT_TRUE(journal.ok()) << journal.status().message();
    return journal.ok() ? std::move(journal.value()) : nullptr;
  }

  // One put entry of one record.
  static uint64_t Put(Journal* journal, std::string_view table, const Uuid& id,
                      const std::vector<JournalField>& fields) {
    JournalPuts puts;
    puts.BeginRecord(table, id, JournalPut::kCreate);
    for (const JournalField& field : fields)
      puts.AddField(field.column, field.value, field.token);
    return journal->AppendPuts(puts);
  }

  // A journal of two durable single-record entries.
  void WriteTwoEntries() {
    RecordingVisitor visitor;
    JournalReplayStats stats;
    auto journal = Open(&visitor, &stats);
    ASSERT_TRUE(journal);
    Put(journal.get(), "t", Id(1), {{"c", "v", "k"}});
    ASSERT_TRUE(journal->WaitDurable(Put(journal.get(), "t", Id(2), {{"c", "w", "l"}})).ok());
  }

  static Uuid Id(uint8_t n) {
    Uuid id;
    id.bytes.fill(n);
    return id;
  }

  std::string dir_;
  std::string path_;
};

TEST_F(JournalTest, ReplaysWhatWasMadeDurableInOrder) {
  {
    RecordingVisitor visitor;
    JournalReplayStats stats;
    auto journal = Open(&visitor, &stats);
    ASSERT_TRUE(journal);
    EXPECT_TRUE(visitor.lines.empty());
    Put(journal.get(), "v/ssn", Id(1), {{"ssn", "123-45-6789", "tok-1"}});
    Put(journal.get(), "v/ssn", Id(2), {{"ssn", "", "tok-\n2"}, {"name", "Zoë", "t"}});
    journal->AppendDelete("v/ssn", {Id(1)});
    journal->AppendDeleteAll("v/other");
    const uint64_t last = journal->AppendReset();
    ASSERT_TRUE(journal->WaitDurable(last).ok());
  }
  struct stat info {};
  ASSERT_EQ(stat(path_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  RecordingVisitor visitor;
  JournalReplayStats stats;
  auto journal = Open(&visitor, &stats);
  ASSERT_TRUE(journal);
  EXPECT_EQ(stats.entries, 5u);
  EXPECT_EQ(stats.dropped_bytes, 0u);
  const std::string one = UuidText(Id(1)), two = UuidText(Id(2));
  EXPECT_EQ(visitor.lines,
            (std::vector<std::string>{"put v/ssn " + one + " ssn=123-45-6789/tok-1",
                                      "put v/ssn " + two + " ssn=/tok-\n2 name=Zoë/t",
                                      "delete v/ssn " + one, "delete-all v/other", "reset"}));
}

TEST_F(JournalTest, ReplaysAndExtendsAFileInTheEarlierPutFormat) {
  // One put entry of kind 1 (no create/update byte), byte for byte as the
  // earlier emulator wrote it; its CRC-32 computed apart, with zlib.
  auto u32 = [](uint32_t value) {
    std::string bytes;
    for (int i = 0; i < 4; ++i)
      bytes.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
    return bytes;
  };
  auto str = [&](std::string_view text) {
    return u32(static_cast<uint32_t>(text.size())) + std::string(text);
  };
  std::string id;
  for (char b = 0; b < 16; ++b)
    id.push_back(b);
  const std::string payload =
      std::string(1, '\x01') + u32(1) + str("v/t") + id + u32(1) + str("c") + str("x") + str("tk");
  {
    std::ofstream out(path_, std::ios::binary);
    out << "skyflow-emulator-journal 1\n"
        << u32(static_cast<uint32_t>(payload.size())) << u32(0xe8fcc42bU) << payload;
  }
  const std::string expected_put =
      "put v/t 00010203-0405-0607-0809-0a0b0c0d0e0f (create or update) c=x/tk";
  {
    RecordingVisitor visitor;
    JournalReplayStats stats;
    auto journal = Open(&visitor, &stats);
    ASSERT_TRUE(journal);
    EXPECT_EQ(visitor.lines, std::vector<std::string>{expected_put});
    ASSERT_TRUE(journal->WaitDurable(Put(journal.get(), "v/t", Id(2), {{"c", "y", "tl"}})).ok());
  }
  RecordingVisitor visitor;
  JournalReplayStats stats;
  ASSERT_TRUE(Open(&visitor, &stats));
  EXPECT_EQ(visitor.lines,
            (std::vector<std::string>{expected_put, "put v/t " + UuidText(Id(2)) + " c=y/tl"}));
}

TEST_F(JournalTest, TornTailIsTruncatedAndAppendsContinueAfterIt) {
  {
    RecordingVisitor visitor;
    JournalReplayStats stats;
    auto journal = Open(&visitor, &stats);
    ASSERT_TRUE(journal->WaitDurable(Put(journal.get(), "t", Id(1), {{"c", "v", "k"}})).ok());
  }
  const auto intact = std::filesystem::file_size(path_);
  {
    // A crash in the middle of the next append: half a frame.
    std::ofstream file(path_, std::ios::binary | std::ios::app);
    file.write("\x20\x00\x00\x00\x12\x34", 6);
  }
  {
    RecordingVisitor visitor;
    JournalReplayStats stats;
    auto journal = Open(&visitor, &stats);
    EXPECT_EQ(stats.entries, 1u);
    EXPECT_EQ(stats.dropped_bytes, 6u);
    EXPECT_EQ(std::filesystem::file_size(path_), intact);
    ASSERT_TRUE(journal->WaitDurable(Put(journal.get(), "t", Id(2), {{"c", "w", "l"}})).ok());
  }
  RecordingVisitor visitor;
  JournalReplayStats stats;
  auto journal = Open(&visitor, &stats);
  EXPECT_EQ(stats.entries, 2u);
  EXPECT_EQ(stats.dropped_bytes, 0u);
}

TEST_F(JournalTest, CorruptEntryEndsReplay) {
  WriteTwoEntries();
  {
    // Flip the last byte (inside the second entry's payload).
    std::fstream file(path_, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(-1, std::ios::end);
    file.put('X');
  }
  RecordingVisitor visitor;
  JournalReplayStats stats;
  auto journal = Open(&visitor, &stats);
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_GT(stats.dropped_bytes, 0u);
}

TEST_F(JournalTest, CorruptionBeforeTheLastEntryIsRefusedNotTruncated) {
  WriteTwoEntries();
  const auto size = std::filesystem::file_size(path_);
  {
    // A byte inside the first entry's payload (after the magic line and its
    // 8-byte frame header).
    std::fstream file(path_, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(std::string_view("skyflow-emulator-journal 1\n").size() + 10);
    file.put('X');
  }
  RecordingVisitor visitor;
  JournalReplayStats stats;
  Result<std::unique_ptr<Journal>> journal = Journal::Open(path_, &visitor, &stats);
  ASSERT_FALSE(journal.ok());
  EXPECT_NE(journal.status().message().find("acknowledged entries follow it"), std::string::npos)
      << journal.status().message();
  EXPECT_EQ(std::filesystem::file_size(path_), size);  // nothing dropped
}

TEST_F(JournalTest, OneEntryHoldsARequestAcrossTablesWhole) {
  {
    RecordingVisitor visitor;
    JournalReplayStats stats;
    auto journal = Open(&visitor, &stats);
    JournalPuts puts;
    puts.BeginRecord("v/a", Id(1), JournalPut::kCreate);
    puts.AddField("a", "1", "t1");
    puts.BeginRecord("v/b", Id(2), JournalPut::kCreate);
    puts.AddField("b", "2", "t2");
    puts.AddField("c", "3", "t3");
    puts.BeginRecord("v/b", Id(3), JournalPut::kCreate);
    ASSERT_TRUE(journal->WaitDurable(journal->AppendPuts(puts)).ok());
  }
  RecordingVisitor visitor;
  JournalReplayStats stats;
  auto journal = Open(&visitor, &stats);
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_EQ(visitor.lines,
            (std::vector<std::string>{"put v/a " + UuidText(Id(1)) + " a=1/t1",
                                      "put v/b " + UuidText(Id(2)) + " b=2/t2 c=3/t3",
                                      "put v/b " + UuidText(Id(3))}));
}

TEST_F(JournalTest, ASecondEmulatorCannotOpenTheSameFile) {
  RecordingVisitor visitor;
  JournalReplayStats stats;
  auto first = Open(&visitor, &stats);
  ASSERT_TRUE(first);
  Result<std::unique_ptr<Journal>> second = Journal::Open(path_, &visitor, &stats);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("in use by another emulator"), std::string::npos);
}

TEST_F(JournalTest, RefusesSomethingOtherThanAFile) {
  RecordingVisitor visitor;
  JournalReplayStats stats;
  for (const std::string& path : {std::string("/dev/full"), dir_}) {
    Result<std::unique_ptr<Journal>> journal = Journal::Open(path, &visitor, &stats);
    ASSERT_FALSE(journal.ok()) << path;
  }
}

TEST_F(JournalTest, RefusesAFileItDidNotWrite) {
  {
    std::ofstream file(path_);
    file << "value,token\n";
  }
  RecordingVisitor visitor;
  JournalReplayStats stats;
  Result<std::unique_ptr<Journal>> journal = Journal::Open(path_, &visitor, &stats);
  ASSERT_FALSE(journal.ok());
  EXPECT_NE(journal.status().message().find("is not an emulator data file"), std::string::npos);
}

TEST_F(JournalTest, ConcurrentWritersAllBecomeDurable) {
  {
    RecordingVisitor visitor;
    JournalReplayStats stats;
    auto journal = Open(&visitor, &stats);
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&journal, w] {
        for (int i = 0; i < 50; ++i) {
          const uint64_t sequence = Put(journal.get(), "t", Id(static_cast<uint8_t>(w)),
                                        {{"c", std::to_string(i), std::to_string(w)}});
          EXPECT_TRUE(journal->WaitDurable(sequence).ok());
        }
      });
    }
    for (std::thread& writer : writers)
      writer.join();
  }
  RecordingVisitor visitor;
  JournalReplayStats stats;
  auto journal = Open(&visitor, &stats);
  EXPECT_EQ(stats.entries, 200u);
}

}  // namespace
}  // namespace skyflow::emulator
