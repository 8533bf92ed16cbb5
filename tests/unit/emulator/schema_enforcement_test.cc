// What a --schema changes for the per-table insert, through InsertHandler
// against a VaultStore holding the schema: unknown vaults and tables (404),
// unknown columns and upserts on columns that are not unique (400), unique
// values (the uniqueness violation's status), the 2,500-character limit, and
// that every refusal stores nothing.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "emulator/api/insert_handler.h"
#include "emulator/store/vault_schema.h"
#include "tests/unit/emulator/api_answer.h"

namespace skyflow::emulator {
namespace {

constexpr char kSchema[] = R"({"vaults":[{"id":"v1","tables":[
    {"name":"persons","columns":[{"name":"ssn","unique":true},{"name":"email","unique":true},
                                 {"name":"note"}]},
    {"name":"names","columns":[{"name":"name"}]}]}]})";

class SchemaEnforcementTest : public ::testing::Test {
 protected:
  static VaultSchema LoadSchema() {
    Result<VaultSchema> schema = VaultSchema::Parse(kSchema, "schema.json");
    EXPECT_TRUE(schema.ok()) << schema.status().message();
    return std::move(schema.value());
  }

  std::unique_ptr<ApiAnswer> Insert(const std::string& table, const std::string& body,
                                    const std::string& vault = "v1") {
    HttpResponse response;
    handler_.Handle(vault, table, body, &response);
    return std::make_unique<ApiAnswer>(response);
  }

  uint64_t Records(const std::string& table) {
    for (const auto& named : store_.Stats()) {
      if (named.name == "v1/" + table) return named.stats.records;
    }
    return 0;
  }

  VaultSchema schema_ = LoadSchema();
  VaultStore store_{&schema_};
  InsertHandler handler_{&store_, InsertHandler::Options{0, 409}, /*seed=*/7};
};

TEST_F(SchemaEnforcementTest, UnknownVaultAndTableAre404) {
  auto answer = Insert("persons", R"({"records":[{"fields":{"ssn":"1"}}]})", "v2");
  EXPECT_EQ(answer->status, 404);
  EXPECT_EQ(answer->message().rfind("Invalid request. Vault ID v2 is invalid", 0), 0u)
      << answer->body;
  answer = Insert("cards", R"({"records":[{"fields":{"ssn":"1"}}]})");
  EXPECT_EQ(answer->status, 404);
  EXPECT_EQ(answer->message().rfind("Invalid request. Table name cards is invalid", 0), 0u)
      << answer->body;
  int64_t grpc = 0;
  EXPECT_EQ(answer->root["error"]["grpc_code"].get(grpc), simdjson::SUCCESS);
  EXPECT_EQ(grpc, 5);
  EXPECT_TRUE(store_.Stats().empty());
}

TEST_F(SchemaEnforcementTest, UnknownColumnIs400AndStoresNothing) {
  auto answer = Insert("persons", R"({"records":[{"fields":{"ssn":"1"}},
                                                  {"fields":{"ssn":"2","phone":"5"}}]})");
  ExpectRefused(*answer, 400,
                "Invalid field \"phone\" in records[1].fields: table persons has "
                "no such column (its columns: ssn, email, note)");
  EXPECT_EQ(Records("persons"), 0u);
  EXPECT_TRUE(store_.Stats().empty());  // not even the table: a refusal leaves no trace
}

TEST_F(SchemaEnforcementTest, UniqueValueHeldByAnotherRecordIsAConflict) {
  ASSERT_EQ(Insert("persons", R"({"records":[{"fields":{"ssn":"1","note":"a"}}]})")->status, 200);
  auto answer = Insert("persons", R"({"records":[{"fields":{"ssn":"2","email":"x@y"}},
                                                  {"fields":{"ssn":"1"}}]})");
  ExpectRefused(*answer, 409,
                "Unique constraint violation: the value given for unique column "
                "\"ssn\" in records[1] is already held by another record");
  EXPECT_EQ(Records("persons"), 1u);
  // Columns that are not unique take repeated values.
  EXPECT_EQ(Insert("persons", R"({"records":[{"fields":{"ssn":"3","note":"a"}}]})")->status, 200);
  EXPECT_EQ(Records("persons"), 2u);
}

TEST_F(SchemaEnforcementTest, UniqueValuesStayUniqueAfterDeletingEverything) {
  ASSERT_EQ(Insert("persons", R"({"records":[{"fields":{"ssn":"1"}}]})")->status, 200);
  ASSERT_TRUE(store_.WithTable("v1", "persons", [](VaultTable& table) { table.DeleteAll(); }));
  ASSERT_EQ(Insert("persons", R"({"records":[{"fields":{"ssn":"9"}}]})")->status, 200);
  EXPECT_EQ(Insert("persons", R"({"records":[{"fields":{"ssn":"9"}}]})")->status, 409);
  EXPECT_EQ(Records("persons"), 1u);
}

TEST_F(SchemaEnforcementTest, UniqueValueTwiceInOneRequestIsAConflict) {
  auto answer = Insert("persons", R"({"records":[{"fields":{"ssn":"1","email":"a@b"}},
                                                  {"fields":{"ssn":"2","email":"a@b"}}]})");
  ExpectRefused(*answer, 409,
                "records[0] and records[1] carry the same value for unique column "
                "\"email\"");
  EXPECT_EQ(Records("persons"), 0u);
}

TEST_F(SchemaEnforcementTest, ConflictStatusFollowsTheFlag) {
  InsertHandler handler(&store_, InsertHandler::Options{0, 400}, 8);
  HttpResponse first;
  handler.Handle("v1", "persons", R"({"records":[{"fields":{"ssn":"1"}}]})", &first);
  ASSERT_EQ(first.status, 200);
  HttpResponse second;
  handler.Handle("v1", "persons", R"({"records":[{"fields":{"ssn":"1"}}]})", &second);
  EXPECT_EQ(second.status, 400);
  EXPECT_TRUE(ApiAnswer(second).Mentions("Unique constraint violation"));
}

TEST_F(SchemaEnforcementTest, UpsertOnAUniqueColumnUpdates) {
  auto first = Insert("persons", R"({"records":[{"fields":{"ssn":"1","note":"old"}}],
                                     "tokenization":true})");
  ASSERT_EQ(first->status, 200);
  std::string_view id;
  ASSERT_EQ(first->root["records"].at(0)["skyflow_id"].get(id), simdjson::SUCCESS);
  const std::string first_id(id);

  auto second = Insert("persons", R"({"records":[{"fields":{"ssn":"1","note":"new"}},
                                                  {"fields":{"ssn":"2","note":"other"}}],
                                      "upsert":"ssn","tokenization":true})");
  ASSERT_EQ(second->status, 200) << second->body;
  ASSERT_EQ(second->root["records"].at(0)["skyflow_id"].get(id), simdjson::SUCCESS);
  EXPECT_EQ(id, first_id);
  EXPECT_EQ(Records("persons"), 2u);
  std::string_view note_token;
  ASSERT_EQ(second->root["records"].at(0)["tokens"]["note"].get(note_token), simdjson::SUCCESS);
  const auto stored = store_.FindByToken("v1", "persons", "note", note_token);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->fields[1].value, "new");

  // An upsert keyed on ssn may not move a unique email onto a second record.
  ASSERT_EQ(Insert("persons", R"({"records":[{"fields":{"ssn":"1","email":"a@b"}}],
                                  "upsert":"ssn"})")
                ->status,
            200);
  auto clash = Insert("persons", R"({"records":[{"fields":{"ssn":"2","email":"a@b"}}],
                                     "upsert":"ssn"})");
  EXPECT_EQ(clash->status, 409) << clash->body;
}

TEST_F(SchemaEnforcementTest, UpsertOnAColumnThatIsNotUniqueIs400) {
  auto answer = Insert("persons", R"({"records":[{"fields":{"ssn":"1","note":"a"}}],
                                      "upsert":"note"})");
  ExpectRefused(*answer, 400, "Upsert failed: column \"note\" of table persons is not unique");
  EXPECT_EQ(Records("persons"), 0u);
}

TEST_F(SchemaEnforcementTest, UniqueValuesTakeAtMost2500Characters) {
  const std::string fits(2500, 'a');
  EXPECT_EQ(Insert("persons", R"({"records":[{"fields":{"ssn":")" + fits + R"("}}]})")->status,
            200);
  // 2,500 two-byte characters: 5,000 bytes, still within the limit.
  std::string accented;
  for (int i = 0; i < 2500; ++i)
    accented += "\xC3\xA9";
  EXPECT_EQ(Insert("persons", R"({"records":[{"fields":{"ssn":")" + accented + R"("}}]})")->status,
            200);
  auto answer = Insert("persons", R"({"records":[{"fields":{"ssn":"x)" + fits + R"("}}]})");
  ExpectRefused(*answer, 400,
                "records[0].fields.ssn has 2501 characters; a unique column takes "
                "at most 2500");
  // Columns that are not unique have no such limit.
  EXPECT_EQ(Insert("persons", R"({"records":[{"fields":{"ssn":"9","note":"x)" + fits + R"("}}]})")
                ->status,
            200);
  EXPECT_EQ(Records("persons"), 3u);
}

TEST(SchemaFreeStoreTest, ValuesRepeatAndTablesAppearOnFirstUse) {
  VaultStore store;
  InsertHandler handler(&store, InsertHandler::Options{0, 409}, 9);
  for (int i = 0; i < 2; ++i) {
    HttpResponse response;
    handler.Handle("any", "table", R"({"records":[{"fields":{"ssn":"1","x":"2"}}]})", &response);
    EXPECT_EQ(response.status, 200) << response.body;
  }
  ASSERT_EQ(store.Stats().size(), 1u);
  EXPECT_EQ(store.Stats()[0].stats.records, 2u);
}

}  // namespace
}  // namespace skyflow::emulator
