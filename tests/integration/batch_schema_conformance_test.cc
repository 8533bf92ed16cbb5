// Conformance of the emulator started with --schema, over loopback with
// libcurl (not the loader): 404 for an unknown vault or table and 400 for an
// unknown column (spec section 3), unique columns and upsert on them (spec
// sections 1 and 4), and the batch endpoint (spec section 2): 207 with
// per-record Status/Body under continueOnError, 200 when all succeed, and
// all-or-nothing without it, checked through /emulator/v1/stats.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <string>

#include "harness/emulator_process.h"
#include "harness/http_request.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {
namespace {

constexpr char kToken[] = "batch-schema-conformance-token-41c2";
constexpr char kSchema[] = R"({"vaults":[{"id":"v1","tables":[
    {"name":"ssn","columns":[{"name":"ssn","unique":true},{"name":"note"}]},
    {"name":"name","columns":[{"name":"name"}]}]}]})";

// A parsed reply: status, body, and the JSON document.
struct Reply {
  long status = 0;
  std::string body;
  simdjson::dom::parser parser;
  simdjson::dom::element root;

  std::string Text(const char* pointer) {
    std::string_view text;
    if (root.at_pointer(pointer).get(text) != simdjson::SUCCESS) return "";
    return std::string(text);
  }
  int64_t Int(const char* pointer) {
    int64_t value = -1;
    if (root.at_pointer(pointer).get(value) != simdjson::SUCCESS) return -1;
    return value;
  }
  bool Has(const char* pointer) {
    simdjson::dom::element element;
    return root.at_pointer(pointer).get(element) == simdjson::SUCCESS;
  }
};

class BatchSchemaConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_.File("schema.json"), kSchema);
    emulator_ = std::make_unique<EmulatorProcess>(
        dir_.path(), kToken, std::vector<std::string>{"--schema", dir_.File("schema.json")});
    ASSERT_TRUE(emulator_->ready());
  }

  std::unique_ptr<Reply> Post(const std::string& path, const std::string& body) {
    const HttpAnswer http = HttpPost(emulator_->url() + path, body, kToken);
    auto reply = std::make_unique<Reply>();
    reply->status = http.status;
    reply->body = http.body;
    EXPECT_EQ(reply->parser.parse(reply->body).get(reply->root), simdjson::SUCCESS) << http.body;
    return reply;
  }

  uint64_t Records(const std::string& table) {
    const auto stats = emulator_->Stats();
    const auto it = stats.find("v1/" + table);
    return it == stats.end() ? 0 : it->second.records;
  }

  // The whole-request error shape of spec section 3.
  static void ExpectApiError(Reply& reply, long status, int grpc, const std::string& prefix) {
    EXPECT_EQ(reply.status, status) << reply.body;
    EXPECT_EQ(reply.Int("/error/http_code"), status);
    EXPECT_EQ(reply.Int("/error/grpc_code"), grpc);
    EXPECT_TRUE(reply.Has("/error/http_status"));
    EXPECT_TRUE(reply.Has("/error/details"));
    EXPECT_EQ(reply.Text("/error/message").rfind(prefix, 0), 0u) << reply.body;
  }

  TempDir dir_;
  std::unique_ptr<EmulatorProcess> emulator_;
};

TEST_F(BatchSchemaConformanceTest, UnknownVaultTableAndColumn) {
  auto reply = Post("/v1/vaults/v2/ssn", R"({"records":[{"fields":{"ssn":"1"}}]})");
  ExpectApiError(*reply, 404, 5, "Invalid request. Vault ID v2 is invalid");
  reply = Post("/v1/vaults/v1/cards", R"({"records":[{"fields":{"ssn":"1"}}]})");
  ExpectApiError(*reply, 404, 5, "Invalid request. Table name cards is invalid");
  reply = Post("/v1/vaults/v1/ssn", R"({"records":[{"fields":{"ssn":"1","phone":"2"}}]})");
  ExpectApiError(*reply, 400, 3, "Insert failed. Invalid field \"phone\"");
  reply = Post("/v1/vaults/v2", R"({"records":[{"tableName":"ssn","method":"POST",
                                                "fields":{"ssn":"1"}}]})");
  ExpectApiError(*reply, 404, 5, "Invalid request. Vault ID v2 is invalid");
  EXPECT_EQ(Records("ssn"), 0u);
}

TEST_F(BatchSchemaConformanceTest, UniqueColumnsAndUpsert) {
  auto reply = Post("/v1/vaults/v1/ssn", R"({"records":[{"fields":{"ssn":"1","note":"a"}}],
                                             "tokenization":true})");
  ASSERT_EQ(reply->status, 200) << reply->body;
  const std::string id = reply->Text("/records/0/skyflow_id");

  reply = Post("/v1/vaults/v1/ssn", R"({"records":[{"fields":{"ssn":"1","note":"b"}}]})");
  ExpectApiError(*reply, 409, 6, "Insert failed. Unique constraint violation");
  EXPECT_EQ(Records("ssn"), 1u);

  reply = Post("/v1/vaults/v1/ssn", R"({"records":[{"fields":{"ssn":"1","note":"b"}}],
                                        "upsert":"ssn"})");
  ASSERT_EQ(reply->status, 200) << reply->body;
  EXPECT_EQ(reply->Text("/records/0/skyflow_id"), id);
  EXPECT_EQ(Records("ssn"), 1u);

  reply = Post("/v1/vaults/v1/ssn", R"({"records":[{"fields":{"ssn":"2","note":"b"}}],
                                        "upsert":"note"})");
  ExpectApiError(*reply, 400, 3, "Insert failed. Upsert failed: column \"note\"");

  reply = Post("/v1/vaults/v1/ssn",
               R"({"records":[{"fields":{"ssn":")" + std::string(2501, '9') + R"("}}]})");
  ExpectApiError(*reply, 400, 3, "Insert failed. records[0].fields.ssn has 2501 characters");
  EXPECT_EQ(Records("ssn"), 1u);
}

TEST_F(BatchSchemaConformanceTest, BatchWithContinueOnError) {
  ASSERT_EQ(Post("/v1/vaults/v1/ssn", R"({"records":[{"fields":{"ssn":"1"}}]})")->status, 200);
  auto reply = Post("/v1/vaults/v1", R"({"records":[
      {"tableName":"ssn","method":"POST","fields":{"ssn":"2"},"tokens":{"ssn":"t2"},
       "tokenization":true},
      {"tableName":"ssn","method":"POST","fields":{"ssn":"1"},"tokens":{"ssn":"t1"}},
      {"tableName":"name","method":"POST","fields":{"name":"a"},"tokens":{"name":"ta"}}],
    "continueOnError":true,"byot":"ENABLE"})");
  ASSERT_EQ(reply->status, 207) << reply->body;
  EXPECT_EQ(reply->Text("/vaultID"), "v1");
  EXPECT_EQ(reply->Int("/responses/0/Status"), 200);
  EXPECT_EQ(reply->Text("/responses/0/Body/records/0/tokens/ssn"), "t2");
  EXPECT_EQ(reply->Text("/responses/0/Body/records/0/skyflow_id").size(), 36u);
  EXPECT_EQ(reply->Int("/responses/1/Status"), 409);
  EXPECT_EQ(reply->Text("/responses/1/Body/error").rfind("Unique constraint violation", 0), 0u);
  EXPECT_EQ(reply->Int("/responses/2/Status"), 200);
  EXPECT_EQ(Records("ssn"), 2u);
  EXPECT_EQ(Records("name"), 1u);

  reply = Post("/v1/vaults/v1", R"({"records":[
      {"tableName":"ssn","method":"POST","fields":{"ssn":"3"}},
      {"tableName":"name","method":"POST","fields":{"name":"b"}}],"continueOnError":true})");
  ASSERT_EQ(reply->status, 200) << reply->body;
  EXPECT_EQ(reply->Int("/responses/0/Status"), 200);
  EXPECT_EQ(reply->Int("/responses/1/Status"), 200);
  EXPECT_EQ(Records("ssn"), 3u);
  EXPECT_EQ(Records("name"), 2u);
}

TEST_F(BatchSchemaConformanceTest, BatchWithoutContinueOnErrorIsAllOrNothing) {
  auto reply = Post("/v1/vaults/v1", R"({"records":[
      {"tableName":"ssn","method":"POST","fields":{"ssn":"1"},"tokenization":true},
      {"tableName":"name","method":"POST","fields":{"name":"a"}}]})");
  ASSERT_EQ(reply->status, 200) << reply->body;
  EXPECT_FALSE(reply->Has("/responses/0/Status"));
  EXPECT_EQ(reply->Text("/responses/0/records/0/skyflow_id").size(), 36u);
  EXPECT_EQ(reply->Text("/responses/0/records/0/tokens/ssn").size(), 36u);
  EXPECT_EQ(reply->Text("/responses/1/records/0/skyflow_id").size(), 36u);
  EXPECT_EQ(Records("ssn"), 1u);
  EXPECT_EQ(Records("name"), 1u);

  // The last record collides: neither table takes anything.
  reply = Post("/v1/vaults/v1", R"({"records":[
      {"tableName":"name","method":"POST","fields":{"name":"b"}},
      {"tableName":"ssn","method":"POST","fields":{"ssn":"2"}},
      {"tableName":"ssn","method":"POST","fields":{"ssn":"1"}}]})");
  ExpectApiError(*reply, 409, 6, "Insert failed. Unique constraint violation");
  EXPECT_EQ(Records("ssn"), 1u);
  EXPECT_EQ(Records("name"), 1u);

  // A method other than POST fails the whole batch as well.
  reply = Post("/v1/vaults/v1", R"({"records":[
      {"tableName":"name","method":"POST","fields":{"name":"c"}},
      {"tableName":"name","method":"PUT","fields":{"name":"d"}}]})");
  ExpectApiError(*reply, 400, 3, "Insert failed. records[1].method is \"PUT\"");
  EXPECT_EQ(Records("name"), 1u);
}

TEST(BatchSchemaFileTest, AnInvalidSchemaStopsTheEmulatorWithThePath) {
  TempDir dir;
  WriteFile(dir.File("schema.json"), R"({"vaults":[{"id":"v1","tables":[{"name":"t"}]}]})");
  const ProcessResult result =
      RunProcess(SKYFLOW_EMULATOR_PATH, {"--schema", dir.File("schema.json")}, dir.path(),
                 std::chrono::seconds(10));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(dir.File("schema.json") + ": vaults[0].tables[0] has no \"columns\""),
            std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace skyflow::testing
