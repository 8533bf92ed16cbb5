// VaultStore over a data file (--data-file): skyflow_ids never collide with
// stored ones, replay refuses to merge two records created with one id, and
// answers that report stored state wait until it is on disk. Records go in
// through the real insert parser; the file is read back from disk.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "emulator/api/insert_request_parser.h"
#include "emulator/api/read_handler.h"
#include "emulator/common/uuid.h"
#include "emulator/store/journal.h"
#include "emulator/store/vault_store.h"

namespace skyflow::emulator {
namespace {

class VaultStorePersistenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "store-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/data.journal";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<VaultStore> OpenStore() {
    auto store = std::make_unique<VaultStore>();
    JournalReplayStats stats;
    const Status status = store->OpenJournal(path_, &stats);
    EXPECT_TRUE(status.ok()) << status.message();
    return store;
  }

  Status Insert(VaultStore* store, Random* random, const std::string& body,
                VaultStore::Durability durable = VaultStore::Durability::kWait,
                InsertResult* result = nullptr) {
    EXPECT_TRUE(parser_.Parse(body, random, &request_).ok()) << body;
    InsertResult ignored;
    return store->Insert("v", "t", request_, random, result != nullptr ? result : &ignored,
                         durable);
  }

  // Token "tk" written, not yet synced (as a continueOnError batch leaves
  // its records until its one sync at the end).
  void InsertUnsynced(VaultStore* store, Random* random) {
    ASSERT_TRUE(Insert(store, random,
                       R"({"byot":"ENABLE","records":[{"fields":{"c":"v"},"tokens":{"c":"tk"}}]})",
                       VaultStore::Durability::kDeferred)
                    .ok());
    EXPECT_EQ(FileOnDisk().find("tk"), std::string::npos);
  }

  // The data file's bytes as they are on disk now.
  std::string FileOnDisk() const {
    std::ifstream in(path_, std::ios::binary);
    std::string content(std::filesystem::file_size(path_), '\0');
    in.read(content.data(), static_cast<std::streamsize>(content.size()));
    return content;
  }

  std::string dir_;
  std::string path_;
  InsertRequestParser parser_{InsertRequestParser::Limits{}};
  InsertRequest request_;
};

TEST_F(VaultStorePersistenceTest, ARepeatedIdStreamDrawsFreshIds) {
  // The same seed over the same file (the restart the emulator guards
  // against by mixing in the replayed entries): the table must still not
  // hand out the stored record's id again.
  InsertResult first;
  {
    auto store = OpenStore();
    Random random(7);
    ASSERT_TRUE(Insert(store.get(), &random, R"({"records":[{"fields":{"c":"first"}}]})",
                       VaultStore::Durability::kWait, &first)
                    .ok());
  }
  InsertResult second;
  {
    auto store = OpenStore();
    Random random(7);
    ASSERT_TRUE(Insert(store.get(), &random, R"({"records":[{"fields":{"c":"second"}}]})",
                       VaultStore::Durability::kWait, &second)
                    .ok());
    EXPECT_NE(UuidText(second.id(0)), UuidText(first.id(0)));
  }
  auto store = OpenStore();
  EXPECT_EQ(store->Stats().at(0).stats.records, 2u);
}

TEST_F(VaultStorePersistenceTest, ReplayRefusesTwoCreatesOfOneId) {
  Uuid id;
  id.bytes.fill(3);
  {
    JournalReplayStats stats;
    Result<std::unique_ptr<Journal>> journal = Journal::Open(path_, nullptr, &stats);
    ASSERT_TRUE(journal.ok()) << journal.status().message();
    JournalPuts puts;
    puts.BeginRecord("v/t", id, JournalPut::kCreate);
    puts.AddField("c", "first", "t1");
    (*journal)->AppendPuts(puts);
    puts.Clear();
    puts.BeginRecord("v/t", id, JournalPut::kUpdate);  // an upsert: merges
    puts.AddField("d", "more", "t2");
    (*journal)->AppendPuts(puts);
    puts.Clear();
    puts.BeginRecord("v/t", id, JournalPut::kCreate);  // a second record: refused
    puts.AddField("c", "second", "t3");
    ASSERT_TRUE((*journal)->WaitDurable((*journal)->AppendPuts(puts)).ok());
  }
  const std::string before = FileOnDisk();
  VaultStore store;
  JournalReplayStats stats;
  const Status status = store.OpenJournal(path_, &stats);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("refusing to merge"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find(UuidText(id)), std::string::npos) << status.message();
  EXPECT_EQ(FileOnDisk(), before);  // nothing truncated
}

TEST_F(VaultStorePersistenceTest, AConflictIsAnsweredOnlyOnceWhatItSawIsOnDisk) {
  auto store = OpenStore();
  Random random(7);
  InsertUnsynced(store.get(), &random);
  const Status conflict =
      Insert(store.get(), &random,
             R"({"byot":"ENABLE","records":[{"fields":{"c":"w"},"tokens":{"c":"tk"}}]})");
  ASSERT_EQ(conflict.code(), StatusCode::kConflict) << conflict.message();
  EXPECT_NE(FileOnDisk().find("tk"), std::string::npos);
}

TEST_F(VaultStorePersistenceTest, AReadIsAnsweredOnlyOnceWhatItSawIsOnDisk) {
  auto store = OpenStore();
  Random random(7);
  InsertUnsynced(store.get(), &random);
  ReadHandler read(store.get(), ReadHandler::Options{25, 404});
  HttpResponse response;
  read.Handle("v", "t", "tokenization=true", &response);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_NE(response.body.find("tk"), std::string::npos);
  EXPECT_NE(FileOnDisk().find("tk"), std::string::npos);
}

}  // namespace
}  // namespace skyflow::emulator
