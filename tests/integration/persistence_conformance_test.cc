// --data-file: what the emulator acknowledged survives a restart, a clean
// one (SIGTERM) or a crash (SIGKILL), byte for byte as the export shows it;
// and an answer dropped after commit is durable too.
#include <gtest/gtest.h>

#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include "harness/emulator_process.h"
#include "harness/http_request.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {
namespace {

constexpr char kToken[] = "persistence-token";

class PersistenceTest : public ::testing::Test {
 protected:
  std::unique_ptr<EmulatorProcess> Start(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"--data-file", data_file_};
    args.insert(args.end(), extra.begin(), extra.end());
    auto emulator = std::make_unique<EmulatorProcess>(dir_.path(), kToken, args);
    EXPECT_TRUE(emulator->ready());
    return emulator;
  }

  static HttpAnswer Call(const EmulatorProcess& emulator, const std::string& method,
                         const std::string& path, const std::string& body = "") {
    return HttpCall(method, emulator.url() + path, body, kToken);
  }

  static std::string Export(const EmulatorProcess& emulator, const std::string& table) {
    const HttpAnswer answer = HttpCall(
        "GET", emulator.url() + "/emulator/v1/export?vault=v1&table=" + table + "&format=jsonl");
    EXPECT_EQ(answer.status, 200) << answer.body;
    return answer.body;
  }

  // Inserts, an upsert that changes a value, a generated token, a delete and
  // a second table: every kind of journal entry.
  static void Populate(const EmulatorProcess& emulator) {
    ASSERT_EQ(Call(emulator, "POST", "/v1/vaults/v1/ssn",
                   R"({"records":[{"fields":{"ssn":"111"},"tokens":{"ssn":"t1"}},
                                  {"fields":{"ssn":"222"},"tokens":{"ssn":"t2"}},
                                  {"fields":{"ssn":"333"},"tokens":{"ssn":"t3"}}],
                       "byot":"ENABLE"})")
                  .status,
              200);
    ASSERT_EQ(Call(emulator, "POST", "/v1/vaults/v1/ssn",
                   R"({"records":[{"fields":{"ssn":"222"},"tokens":{"ssn":"t2-new"}}],
                       "byot":"ENABLE","upsert":"ssn"})")
                  .status,
              200);
    ASSERT_EQ(Call(emulator, "POST", "/v1/vaults/v1/name",
                   R"({"records":[{"fields":{"name":"Zoë"}}],"tokenization":true})")
                  .status,
              200);
    const HttpAnswer page =
        Call(emulator, "GET",
             "/v1/vaults/v1/ssn?column_name=ssn&column_values=333&redaction=PLAIN_TEXT");
    ASSERT_EQ(page.status, 200) << page.body;
    const std::string marker = R"("skyflow_id":")";
    const size_t at = page.body.find(marker);
    ASSERT_NE(at, std::string::npos);
    const std::string id = page.body.substr(at + marker.size(), 36);
    ASSERT_EQ(Call(emulator, "DELETE", "/v1/vaults/v1/ssn/" + id).status, 200);
  }

  TempDir dir_;
  std::string data_file_ = dir_.path() + "/vault.data";
};

TEST_F(PersistenceTest, CleanRestartKeepsEverything) {
  std::string ssn, name;
  std::map<std::string, TableStats> stats;
  {
    auto emulator = Start();
    Populate(*emulator);
    ssn = Export(*emulator, "ssn");
    name = Export(*emulator, "name");
    stats = emulator->Stats();
    emulator->Stop(SIGTERM);
  }
  EXPECT_NE(ssn.find(R"("token":"t2-new")"), std::string::npos) << ssn;
  EXPECT_EQ(ssn.find(R"("token":"t3")"), std::string::npos) << ssn;
  auto restarted = Start();
  EXPECT_EQ(Export(*restarted, "ssn"), ssn);
  EXPECT_EQ(Export(*restarted, "name"), name);
  const auto after = restarted->Stats();
  ASSERT_EQ(after.size(), stats.size());
  for (const auto& [table, before] : stats) {
    EXPECT_EQ(after.at(table).records, before.records) << table;
    EXPECT_EQ(after.at(table).digest, before.digest) << table;
  }
  // The restored tokens are live: re-inserting one is a conflict.
  EXPECT_EQ(Call(*restarted, "POST", "/v1/vaults/v1/ssn",
                 R"({"records":[{"fields":{"ssn":"9"},"tokens":{"ssn":"t1"}}],"byot":"ENABLE"})")
                .status,
            409);
}

TEST_F(PersistenceTest, RestartsWithTheSameSeedNeverReuseAStoredId) {
  // Generated ids and tokens over three starts with one --seed: every
  // record keeps its own id, and all three survive.
  const std::vector<std::string> seeded = {"--seed", "7", "--threads", "1"};
  std::string ids;
  for (const char* value : {"first", "second", "third"}) {
    auto emulator = Start(seeded);
    const HttpAnswer answer =
        Call(*emulator, "POST", "/v1/vaults/v1/t",
             std::string(R"({"records":[{"fields":{"c":")") + value + R"("}}]})");
    ASSERT_EQ(answer.status, 200) << answer.body;
    const std::string marker = R"("skyflow_id":")";
    const size_t at = answer.body.find(marker);
    ASSERT_NE(at, std::string::npos) << answer.body;
    const std::string id = answer.body.substr(at + marker.size(), 36);
    EXPECT_EQ(ids.find(id), std::string::npos) << "id " << id << " handed out twice";
    ids += id + " ";
  }
  auto emulator = Start(seeded);
  EXPECT_EQ(emulator->Stats()["v1/t"].records, 3u);
}

TEST_F(PersistenceTest, CrashLosesNothingAcknowledged) {
  std::string ssn;
  {
    auto emulator = Start();
    Populate(*emulator);
    ssn = Export(*emulator, "ssn");
    emulator->Stop(SIGKILL);
  }
  auto restarted = Start();
  EXPECT_EQ(Export(*restarted, "ssn"), ssn);
}

TEST_F(PersistenceTest, CrashDuringConcurrentWritesLosesNothingAcknowledged) {
  // Four clients insert while the emulator is killed mid-load: every
  // request answered 200 must be there after the restart. (A crash keeps
  // the page cache, so this pins "acknowledged only once appended", not
  // the fdatasync itself.)
  constexpr int kClients = 4;
  constexpr int kMaxRequests = 400;
  constexpr int kRecords = 50;
  std::vector<std::vector<std::string>> acknowledged(kClients);
  {
    auto emulator = Start({"--threads", "2"});
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c] {
        for (int i = 0; i < kMaxRequests; ++i) {
          const std::string prefix = "c" + std::to_string(c) + "-" + std::to_string(i) + "-";
          std::string body = R"({"byot":"ENABLE","records":[)";
          for (int k = 0; k < kRecords; ++k) {
            body += std::string(k == 0 ? "" : ",") + R"({"fields":{"ssn":")" + prefix +
                    std::to_string(k) + R"("},"tokens":{"ssn":"tok-)" + prefix + std::to_string(k) +
                    R"("}})";
          }
          body += "]}";
          if (Call(*emulator, "POST", "/v1/vaults/v1/ssn", body).status != 200) return;
          acknowledged[c].push_back("tok-" + prefix);
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    emulator->Stop(SIGKILL);
    for (std::thread& client : clients)
      client.join();
  }
  auto restarted = Start();
  const std::string stored = Export(*restarted, "ssn");
  size_t requests = 0;
  for (const auto& tokens : acknowledged) {
    for (const std::string& prefix : tokens) {
      ++requests;
      for (int k = 0; k < kRecords; k += kRecords - 1) {  // the first and the last
        const std::string token = prefix + std::to_string(k) + "\"";
        EXPECT_NE(stored.find(token), std::string::npos) << token << " was acknowledged";
      }
    }
  }
  EXPECT_GT(requests, 0u) << "no request was answered before the crash";
  EXPECT_GE(restarted->Stats()["v1/ssn"].records, requests * kRecords);
}

TEST_F(PersistenceTest, ResetIsPersistedToo) {
  {
    auto emulator = Start();
    Populate(*emulator);
    ASSERT_EQ(HttpCall("POST", emulator->url() + "/emulator/v1/reset").status, 200);
    emulator->Stop(SIGKILL);
  }
  auto restarted = Start();
  EXPECT_TRUE(restarted->Stats().empty());
}

TEST_F(PersistenceTest, AnswerDroppedAfterCommitIsStillDurable) {
  {
    auto emulator = Start({"--fault-drop-after-commit", "1"});
    const HttpAnswer dropped = Call(*emulator, "POST", "/v1/vaults/v1/ssn",
                                    R"({"records":[{"fields":{"ssn":"1"},"tokens":{"ssn":"k1"}}],
                                        "byot":"ENABLE"})");
    EXPECT_EQ(dropped.status, 0);  // no answer
    emulator->Stop(SIGKILL);
  }
  auto restarted = Start();
  EXPECT_EQ(restarted->Stats()["v1/ssn"].records, 1u);
}

TEST_F(PersistenceTest, RefusesAFileItDidNotWrite) {
  WriteFile(data_file_, "value,token\n1,2\n");
  const ProcessResult result = RunProcess(SKYFLOW_EMULATOR_PATH, {"--data-file", data_file_},
                                          dir_.path(), std::chrono::seconds(10));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("is not an emulator data file"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace skyflow::testing
