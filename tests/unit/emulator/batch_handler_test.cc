// The batch endpoint (spec section 2) through BatchHandler against a real
// VaultStore: continueOnError answers each record in place (207 when any
// failed), and without it a batch is all-or-nothing across its tables.
#include "emulator/api/batch_handler.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "emulator/store/vault_schema.h"
#include "tests/unit/emulator/api_answer.h"

namespace skyflow::emulator {
namespace {

constexpr char kSchema[] = R"({"vaults":[{"id":"v1","tables":[
    {"name":"ssn","columns":[{"name":"ssn","unique":true}]},
    {"name":"name","columns":[{"name":"name"}]}]}]})";

VaultSchema LoadSchema() {
  Result<VaultSchema> schema = VaultSchema::Parse(kSchema, "schema.json");
  EXPECT_TRUE(schema.ok()) << schema.status().message();
  return std::move(schema.value());
}

class BatchHandlerTest : public ::testing::Test {
 protected:
  std::unique_ptr<ApiAnswer> Batch(const std::string& body, const std::string& vault = "v1") {
    HttpResponse response;
    handler_.Handle(vault, body, &response);
    return std::make_unique<ApiAnswer>(response);
  }

  uint64_t Records(const std::string& table) {
    for (const auto& named : store_.Stats()) {
      if (named.name == "v1/" + table) return named.stats.records;
    }
    return 0;
  }

  // responses[i] of a batch answer.
  static simdjson::dom::element Entry(const ApiAnswer& answer, size_t i) {
    simdjson::dom::element entry;
    EXPECT_EQ(answer.root["responses"].at(i).get(entry), simdjson::SUCCESS) << answer.body;
    return entry;
  }
  static size_t EntryCount(const ApiAnswer& answer) {
    simdjson::dom::array responses;
    EXPECT_EQ(answer.root["responses"].get(responses), simdjson::SUCCESS) << answer.body;
    return responses.size();
  }
  static int64_t EntryStatus(const ApiAnswer& answer, size_t i) {
    int64_t status = 0;
    EXPECT_EQ(Entry(answer, i)["Status"].get(status), simdjson::SUCCESS) << answer.body;
    return status;
  }
  static std::string EntryError(const ApiAnswer& answer, size_t i) {
    std::string_view error;
    EXPECT_EQ(Entry(answer, i)["Body"]["error"].get(error), simdjson::SUCCESS) << answer.body;
    return std::string(error);
  }

  VaultSchema schema_ = LoadSchema();
  VaultStore store_{&schema_};
  BatchHandler handler_{&store_, BatchHandler::Options{0, 409}, /*seed=*/11};
};

TEST_F(BatchHandlerTest, ContinueOnErrorAnswersEachRecordIn207) {
  ASSERT_EQ(
      Batch(R"({"records":[{"tableName":"ssn","method":"POST","fields":{"ssn":"1"}}]})")->status,
      200);
  auto answer = Batch(R"({"records":[
      {"tableName":"ssn","method":"POST","fields":{"ssn":"2"},"tokens":{"ssn":"t2"},
       "tokenization":true},
      {"tableName":"ssn","method":"POST","fields":{"ssn":"1"}},
      {"tableName":"name","method":"GET","fields":{"name":"a"}},
      {"tableName":"cards","method":"POST","fields":{"number":"4"}},
      {"tableName":"name","method":"POST","fields":{"nickname":"b"}},
      {"tableName":"name","method":"POST","fields":{"name":"c"}}],
    "continueOnError":true,"byot":"ENABLE"})");
  ASSERT_EQ(answer->status, 207) << answer->body;
  std::string_view vault;
  ASSERT_EQ(answer->root["vaultID"].get(vault), simdjson::SUCCESS);
  EXPECT_EQ(vault, "v1");
  ASSERT_EQ(EntryCount(*answer), 6u);

  EXPECT_EQ(EntryStatus(*answer, 0), 200);
  std::string_view token;
  ASSERT_EQ(Entry(*answer, 0)["Body"]["records"].at(0)["tokens"]["ssn"].get(token),
            simdjson::SUCCESS);
  EXPECT_EQ(token, "t2");
  EXPECT_EQ(EntryStatus(*answer, 1), 409);
  EXPECT_EQ(EntryError(*answer, 1).rfind("Unique constraint violation", 0), 0u);
  EXPECT_EQ(EntryStatus(*answer, 2), 400);
  EXPECT_NE(EntryError(*answer, 2).find("supports \"POST\" (insert) only"), std::string::npos);
  EXPECT_EQ(EntryStatus(*answer, 3), 404);
  EXPECT_EQ(EntryError(*answer, 3).rfind("Invalid request. Table name cards is invalid", 0), 0u);
  EXPECT_EQ(EntryStatus(*answer, 4), 400);
  EXPECT_NE(EntryError(*answer, 4).find("Invalid field \"nickname\" in records[4].fields"),
            std::string::npos);
  EXPECT_EQ(EntryStatus(*answer, 5), 200);
  std::string_view id;
  EXPECT_EQ(Entry(*answer, 5)["Body"]["records"].at(0)["skyflow_id"].get(id), simdjson::SUCCESS);
  simdjson::dom::element tokens;
  EXPECT_NE(Entry(*answer, 5)["Body"]["records"].at(0)["tokens"].get(tokens), simdjson::SUCCESS)
      << "tokens only with tokenization";

  EXPECT_EQ(Records("ssn"), 2u);
  EXPECT_EQ(Records("name"), 1u);
}

TEST_F(BatchHandlerTest, ContinueOnErrorAnswers200WhenEveryRecordSucceeds) {
  auto answer = Batch(R"({"records":[
      {"tableName":"ssn","method":"POST","fields":{"ssn":"1"}},
      {"tableName":"name","method":"POST","fields":{"name":"a"}}],"continueOnError":true})");
  EXPECT_EQ(answer->status, 200) << answer->body;
  EXPECT_EQ(EntryStatus(*answer, 0), 200);
  EXPECT_EQ(EntryStatus(*answer, 1), 200);
}

TEST_F(BatchHandlerTest, ByotRulesApplyPerRecord) {
  auto answer = Batch(R"({"records":[
      {"tableName":"ssn","method":"POST","fields":{"ssn":"1"},"tokens":{"ssn":"t"}},
      {"tableName":"ssn","method":"POST","fields":{"ssn":"2"}}],"continueOnError":true})");
  EXPECT_EQ(answer->status, 207);
  EXPECT_EQ(EntryStatus(*answer, 0), 400);
  EXPECT_NE(EntryError(*answer, 0)
                .find("records[0].tokens: tokens are not allowed when byot is "
                      "DISABLE"),
            std::string::npos);
  EXPECT_EQ(EntryStatus(*answer, 1), 200);

  answer = Batch(R"({"records":[{"tableName":"ssn","method":"POST","fields":{"ssn":"3"}}],
                     "byot":"ENABLE_STRICT","continueOnError":true})");
  EXPECT_EQ(EntryStatus(*answer, 0), 400);
  EXPECT_NE(EntryError(*answer, 0).find("byot ENABLE_STRICT requires a token"), std::string::npos);
}

TEST_F(BatchHandlerTest, WithoutContinueOnErrorSucceedsWithBareEntries) {
  auto answer = Batch(R"({"records":[
      {"tableName":"ssn","method":"POST","fields":{"ssn":"1"},"tokens":{"ssn":"t1"},
       "tokenization":true},
      {"tableName":"name","method":"POST","fields":{"name":"a"}},
      {"tableName":"ssn","method":"POST","fields":{"ssn":"2"},"tokens":{"ssn":"t2"},
       "tokenization":true}],"byot":"ENABLE"})");
  ASSERT_EQ(answer->status, 200) << answer->body;
  ASSERT_EQ(EntryCount(*answer), 3u);
  std::string_view token;
  ASSERT_EQ(Entry(*answer, 2)["records"].at(0)["tokens"]["ssn"].get(token), simdjson::SUCCESS);
  EXPECT_EQ(token, "t2");
  ASSERT_EQ(Entry(*answer, 0)["records"].at(0)["tokens"]["ssn"].get(token), simdjson::SUCCESS);
  EXPECT_EQ(token, "t1");
  simdjson::dom::element status;
  EXPECT_NE(Entry(*answer, 0)["Status"].get(status), simdjson::SUCCESS);
  EXPECT_EQ(Records("ssn"), 2u);
  EXPECT_EQ(Records("name"), 1u);
  EXPECT_EQ(store_.FindByToken("v1", "ssn", "ssn", "t2")->fields[0].value, "2");
}

TEST_F(BatchHandlerTest, WithoutContinueOnErrorOneFailureStoresNothingInAnyTable) {
  ASSERT_EQ(
      Batch(R"({"records":[{"tableName":"ssn","method":"POST","fields":{"ssn":"1"}}]})")->status,
      200);
  // The failing record is the last one, in the second table: the first
  // table's records must not be written either.
  auto answer = Batch(R"({"records":[
      {"tableName":"name","method":"POST","fields":{"name":"a"}},
      {"tableName":"ssn","method":"POST","fields":{"ssn":"2"}},
      {"tableName":"ssn","method":"POST","fields":{"ssn":"1"}}]})");
  ExpectRefused(*answer, 409,
                "Unique constraint violation: the value given for unique column "
                "\"ssn\" in records[2]");
  EXPECT_EQ(Records("name"), 0u);
  EXPECT_EQ(Records("ssn"), 1u);

  // A record-level problem fails the whole batch too.
  answer = Batch(R"({"records":[
      {"tableName":"name","method":"POST","fields":{"name":"a"}},
      {"tableName":"name","method":"DELETE","fields":{"name":"b"}}]})");
  ExpectRefused(*answer, 400, "records[1].method is \"DELETE\"");
  EXPECT_EQ(Records("name"), 0u);

  // Two records of the batch carrying one token collide with each other.
  answer = Batch(R"({"records":[
      {"tableName":"name","method":"POST","fields":{"name":"a"},"tokens":{"name":"t"}},
      {"tableName":"ssn","method":"POST","fields":{"ssn":"5"}},
      {"tableName":"name","method":"POST","fields":{"name":"b"},"tokens":{"name":"t"}}],
      "byot":"ENABLE"})");
  ExpectRefused(*answer, 409, "records[0] and records[2] carry the same token");
  EXPECT_EQ(Records("name"), 0u);
  EXPECT_EQ(Records("ssn"), 1u);
}

TEST_F(BatchHandlerTest, WithoutContinueOnErrorUpsertUpdatesAcrossTheBatch) {
  ASSERT_EQ(Batch(R"({"records":[{"tableName":"ssn","method":"POST","fields":{"ssn":"1"},
                      "tokens":{"ssn":"old"}}],"byot":"ENABLE"})")
                ->status,
            200);
  auto answer = Batch(R"({"records":[
      {"tableName":"ssn","method":"POST","fields":{"ssn":"1"},"tokens":{"ssn":"new"},
       "upsert":"ssn"},
      {"tableName":"ssn","method":"POST","fields":{"ssn":"2"},"tokens":{"ssn":"two"},
       "upsert":"ssn"}],"byot":"ENABLE"})");
  ASSERT_EQ(answer->status, 200) << answer->body;
  EXPECT_EQ(Records("ssn"), 2u);
  EXPECT_FALSE(store_.FindByToken("v1", "ssn", "ssn", "old").has_value());
  EXPECT_TRUE(store_.FindByToken("v1", "ssn", "ssn", "new").has_value());

  answer = Batch(R"({"records":[
      {"tableName":"ssn","method":"POST","fields":{"ssn":"3"},"upsert":"ssn"},
      {"tableName":"ssn","method":"POST","fields":{"ssn":"4"}}]})");
  ExpectRefused(*answer, 400, "different \"upsert\" settings");
}

TEST_F(BatchHandlerTest, WholeRequestProblems) {
  auto answer =
      Batch(R"({"records":[{"tableName":"ssn","method":"POST","fields":{"ssn":"1"}}]})", "v9");
  ExpectRefused(*answer, 404, "Vault ID v9 is invalid");
  EXPECT_EQ(Batch(R"({"records":[]})")->status, 400);
  EXPECT_EQ(Batch(R"({"records":[{"tableName":"ssn"]})")->status, 400);
  answer = Batch(R"({"records":[{"tableName":"ssn","method":"POST","fields":{"ssn":"1"}}],
                     "continueOnError":"yes"})");
  ExpectRefused(*answer, 400, "\"continueOnError\" must be true or false");
  answer = Batch(R"({"records":[{"method":"POST","fields":{"ssn":"1"}}]})");
  ExpectRefused(*answer, 400, "records[0] has no \"tableName\"");

  BatchHandler limited(&store_, BatchHandler::Options{1, 409}, 12);
  HttpResponse response;
  limited.Handle("v1", R"({"records":[{"tableName":"ssn","method":"POST","fields":{"ssn":"1"}},
                                      {"tableName":"ssn","method":"POST","fields":{"ssn":"2"}}],
                           "continueOnError":true})",
                 &response);
  EXPECT_EQ(response.status, 400);
  EXPECT_TRUE(ApiAnswer(response).Mentions("--max-records-per-request"));
  EXPECT_EQ(Records("ssn"), 0u);
}

TEST(BatchWithoutSchemaTest, CreatesTablesOnFirstUse) {
  VaultStore store;
  BatchHandler handler(&store, BatchHandler::Options{0, 409}, 13);
  HttpResponse response;
  handler.Handle("any", R"({"records":[{"tableName":"a","method":"POST","fields":{"x":"1"}},
                                       {"tableName":"b","method":"POST","fields":{"y":"1"}}]})",
                 &response);
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(store.Stats().size(), 2u);
}

}  // namespace
}  // namespace skyflow::emulator
