// The insert endpoint's semantics, driven through InsertHandler against a
// real VaultStore (no sockets): byot rules, token uniqueness, upsert,
// all-or-nothing, and the stats digest against an independent PairDigest.
#include "emulator/api/insert_handler.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "emulator/common/uuid.h"
#include "util/pair_digest.h"

namespace skyflow::emulator {
namespace {

struct InsertedRecord {
  std::string skyflow_id;
  std::map<std::string, std::string> tokens;
};

struct Answer {
  int status = 0;
  std::string body;
  std::vector<InsertedRecord> records;  // on 200
  int grpc_code = 0;                    // on errors
  std::string message;
};

class InsertHandlerTest : public ::testing::Test {
 protected:
  Answer Insert(const std::string& body, const std::string& table = "ssn") {
    HttpResponse response;
    handler_.Handle("vault1", table, body, &response);
    Answer answer;
    answer.status = response.status;
    answer.body = response.body;
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    EXPECT_EQ(parser.parse(response.body).get(root), simdjson::SUCCESS) << response.body;
    if (response.status == 200) {
      simdjson::dom::array records;
      EXPECT_EQ(root["records"].get(records), simdjson::SUCCESS) << response.body;
      for (simdjson::dom::element record : records) {
        InsertedRecord inserted;
        std::string_view id;
        EXPECT_EQ(record["skyflow_id"].get(id), simdjson::SUCCESS);
        inserted.skyflow_id = std::string(id);
        simdjson::dom::object tokens;
        if (record["tokens"].get(tokens) == simdjson::SUCCESS) {
          for (auto [column, token] : tokens) {
            inserted.tokens[std::string(column)] = std::string(token.get_string().value());
          }
        }
        answer.records.push_back(std::move(inserted));
      }
    } else {
      int64_t grpc = 0;
      int64_t http = 0;
      std::string_view message;
      std::string_view http_status;
      simdjson::dom::array details;
      EXPECT_EQ(root["error"]["grpc_code"].get(grpc), simdjson::SUCCESS) << response.body;
      EXPECT_EQ(root["error"]["http_code"].get(http), simdjson::SUCCESS);
      EXPECT_EQ(root["error"]["http_status"].get(http_status), simdjson::SUCCESS);
      EXPECT_EQ(root["error"]["message"].get(message), simdjson::SUCCESS);
      EXPECT_EQ(root["error"]["details"].get(details), simdjson::SUCCESS);
      EXPECT_EQ(http, response.status);
      answer.grpc_code = static_cast<int>(grpc);
      answer.message = std::string(message);
    }
    return answer;
  }

  TableStats Stats(const std::string& table = "ssn") {
    for (const auto& named : store_.Stats()) {
      if (named.name == "vault1/" + table) return named.stats;
    }
    return {};
  }

  VaultStore store_;
  InsertHandler handler_{&store_, InsertHandler::Options{0, 409}, /*seed=*/42};
};

bool IsUuid(const std::string& text) {
  static const std::regex kUuid(
      "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  return std::regex_match(text, kUuid);
}

TEST_F(InsertHandlerTest, InsertsWithSuppliedTokensAndAnswersInOrder) {
  const Answer answer = Insert(R"({"records":[
      {"fields":{"ssn":"111"},"tokens":{"ssn":"tok-1"}},
      {"fields":{"ssn":"222"},"tokens":{"ssn":"tok-2"}}],
    "tokenization":true,"byot":"ENABLE","continueOnError":true})");
  ASSERT_EQ(answer.status, 200) << answer.body;
  ASSERT_EQ(answer.records.size(), 2u);
  EXPECT_EQ(answer.records[0].tokens.at("ssn"), "tok-1");
  EXPECT_EQ(answer.records[1].tokens.at("ssn"), "tok-2");
  EXPECT_TRUE(IsUuid(answer.records[0].skyflow_id));
  EXPECT_NE(answer.records[0].skyflow_id, answer.records[1].skyflow_id);

  const auto stored = store_.FindByToken("vault1", "ssn", "ssn", "tok-2");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(UuidText(stored->id), answer.records[1].skyflow_id);
  ASSERT_EQ(stored->fields.size(), 1u);
  EXPECT_EQ(stored->fields[0].value, "222");
  EXPECT_EQ(Stats().records, 2u);
}

TEST_F(InsertHandlerTest, OmitsTokensWithoutTokenization) {
  const Answer answer = Insert(R"({"records":[{"fields":{"ssn":"1"},"tokens":{"ssn":"t"}}],
                                   "byot":"ENABLE"})");
  ASSERT_EQ(answer.status, 200);
  EXPECT_TRUE(answer.records[0].tokens.empty());
  EXPECT_EQ(answer.body.find("tokens"), std::string::npos);
}

TEST_F(InsertHandlerTest, GeneratesUuidTokensWhenNoneAreSupplied) {
  const Answer answer = Insert(R"({"records":[{"fields":{"ssn":"1","name":"Ann"}},
                                              {"fields":{"ssn":"2"}}],"tokenization":true})");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_TRUE(IsUuid(answer.records[0].tokens.at("ssn")));
  EXPECT_TRUE(IsUuid(answer.records[0].tokens.at("name")));
  EXPECT_NE(answer.records[0].tokens.at("ssn"), answer.records[1].tokens.at("ssn"));
  EXPECT_TRUE(store_.FindByToken("vault1", "ssn", "name", answer.records[0].tokens.at("name")));
}

TEST_F(InsertHandlerTest, ByotRules) {
  Answer answer = Insert(R"({"records":[{"fields":{"ssn":"1"},"tokens":{"ssn":"t"}}]})");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(answer.grpc_code, 3);
  EXPECT_NE(answer.message.find("tokens are not allowed when byot is DISABLE"), std::string::npos)
      << answer.message;

  answer = Insert(R"({"records":[{"fields":{"ssn":"1","dob":"x"},"tokens":{"ssn":"t"}}],
                      "byot":"ENABLE_STRICT"})");
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(answer.message.find("ENABLE_STRICT"), std::string::npos) << answer.message;
  EXPECT_NE(answer.message.find("dob"), std::string::npos) << answer.message;

  answer = Insert(R"({"records":[{"fields":{"ssn":"1"},"tokens":{"dob":"t"}}],"byot":"ENABLE"})");
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(answer.message.find("not in its \"fields\""), std::string::npos) << answer.message;

  answer = Insert(R"({"records":[{"fields":{"ssn":1}}]})");
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(answer.message.find("must be a string"), std::string::npos) << answer.message;

  answer = Insert(R"({"records":[{"fields":{"ssn":"1"}}],"homogeneous":true,"upsert":"ssn"})");
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(answer.message.find("homogeneous"), std::string::npos) << answer.message;

  answer = Insert(R"({"records":[{"fields":{"ssn":"1"}}],"byot":"SOMETIMES"})");
  EXPECT_EQ(answer.status, 400);

  answer = Insert(R"({"records":[]})");
  EXPECT_EQ(answer.status, 400);

  EXPECT_EQ(Stats().records, 0u);
}

TEST_F(InsertHandlerTest, MalformedJsonNamesTheByte) {
  const Answer answer = Insert(
      R"({"records":[{"fields":{"ssn":"secret-value"}},]})");  // the trailing comma is byte 45
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(answer.message.find("Malformed JSON"), std::string::npos) << answer.message;
  EXPECT_NE(answer.message.find("at byte 45"), std::string::npos) << answer.message;
  EXPECT_EQ(answer.message.find("secret-value"), std::string::npos) << answer.message;
}

TEST_F(InsertHandlerTest, ExistingTokenIsAUniquenessViolationAndNothingIsStored) {
  ASSERT_EQ(Insert(R"({"records":[{"fields":{"ssn":"1"},"tokens":{"ssn":"tok-a"}}],
                       "byot":"ENABLE"})")
                .status,
            200);
  const TableStats before = Stats();
  // Record 0 is fine, record 1 collides: the whole request fails.
  const Answer answer = Insert(R"({"records":[
      {"fields":{"ssn":"2"},"tokens":{"ssn":"tok-b"}},
      {"fields":{"ssn":"3"},"tokens":{"ssn":"tok-a"}}],"byot":"ENABLE"})");
  EXPECT_EQ(answer.status, 409);
  EXPECT_EQ(answer.grpc_code, 6);
  EXPECT_NE(answer.message.find("Unique constraint violation"), std::string::npos);
  EXPECT_NE(answer.message.find("\"ssn\""), std::string::npos);
  EXPECT_NE(answer.message.find("records[1]"), std::string::npos);
  EXPECT_EQ(answer.message.find("tok-a"), std::string::npos) << "never echo the token";
  EXPECT_FALSE(store_.FindByToken("vault1", "ssn", "ssn", "tok-b"));
  EXPECT_EQ(Stats().records, before.records);
  EXPECT_EQ(Stats().digest, before.digest);
}

TEST_F(InsertHandlerTest, RepeatedTokenWithinOneRequestIsAViolation) {
  const Answer answer = Insert(R"({"records":[
      {"fields":{"ssn":"1"},"tokens":{"ssn":"same"}},
      {"fields":{"ssn":"2"},"tokens":{"ssn":"same"}}],"byot":"ENABLE"})");
  EXPECT_EQ(answer.status, 409);
  EXPECT_NE(answer.message.find("Unique constraint violation"), std::string::npos);
  EXPECT_EQ(Stats().records, 0u);
}

TEST_F(InsertHandlerTest, TokensAreUniquePerColumnNotPerTable) {
  const Answer answer = Insert(R"({"records":[
      {"fields":{"ssn":"1","dob":"2000"},"tokens":{"ssn":"t","dob":"t"}}],"byot":"ENABLE"})");
  EXPECT_EQ(answer.status, 200) << answer.body;
  // Another table of the same vault is independent too.
  EXPECT_EQ(Insert(R"({"records":[{"fields":{"ssn":"1"},"tokens":{"ssn":"t"}}],"byot":"ENABLE"})",
                   "other")
                .status,
            200);
}

TEST_F(InsertHandlerTest, ConflictStatusCanBe400) {
  InsertHandler handler(&store_, InsertHandler::Options{0, 400}, 1);
  HttpResponse response;
  const std::string body =
      R"({"records":[{"fields":{"ssn":"1"},"tokens":{"ssn":"x"}}],"byot":"ENABLE"})";
  handler.Handle("vault1", "ssn", body, &response);
  ASSERT_EQ(response.status, 200);
  response.Clear();
  handler.Handle("vault1", "ssn", body, &response);
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("\"grpc_code\":3"), std::string::npos) << response.body;
  EXPECT_NE(response.body.find("Unique constraint violation"), std::string::npos);
}

TEST_F(InsertHandlerTest, RecordLimit) {
  InsertHandler handler(&store_, InsertHandler::Options{2, 409}, 1);
  HttpResponse response;
  handler.Handle("vault1", "ssn", R"({"records":[{"fields":{"a":"1"}},{"fields":{"a":"2"}},
                                                 {"fields":{"a":"3"}}]})",
                 &response);
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("limit is 2"), std::string::npos) << response.body;
}

TEST_F(InsertHandlerTest, UpsertUpdatesTheRecordHoldingTheValue) {
  const Answer first = Insert(R"({"records":[{"fields":{"ssn":"111"},"tokens":{"ssn":"old"}}],
                                  "byot":"ENABLE","tokenization":true})");
  ASSERT_EQ(first.status, 200);
  const Answer second = Insert(R"({"records":[
      {"fields":{"ssn":"111"},"tokens":{"ssn":"new"}},
      {"fields":{"ssn":"222"},"tokens":{"ssn":"other"}}],
    "byot":"ENABLE","upsert":"ssn","tokenization":true})");
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.records[0].skyflow_id, first.records[0].skyflow_id);
  EXPECT_EQ(second.records[0].tokens.at("ssn"), "new");
  EXPECT_NE(second.records[1].skyflow_id, first.records[0].skyflow_id);
  EXPECT_FALSE(store_.FindByToken("vault1", "ssn", "ssn", "old"))
      << "the old token no longer resolves";
  const auto updated = store_.FindByToken("vault1", "ssn", "ssn", "new");
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->fields[0].value, "111");
  EXPECT_EQ(Stats().records, 2u);

  // Re-sending the same upsert (a retry) changes nothing and succeeds.
  const TableStats before = Stats();
  EXPECT_EQ(Insert(R"({"records":[{"fields":{"ssn":"111"},"tokens":{"ssn":"new"}}],
                       "byot":"ENABLE","upsert":"ssn"})")
                .status,
            200);
  EXPECT_EQ(Stats().records, before.records);
  EXPECT_EQ(Stats().digest, before.digest);
}

TEST_F(InsertHandlerTest, UpsertRefusesATokenOfAnotherRecord) {
  ASSERT_EQ(Insert(R"({"records":[{"fields":{"ssn":"1"},"tokens":{"ssn":"a"}},
                                  {"fields":{"ssn":"2"},"tokens":{"ssn":"b"}}],"byot":"ENABLE"})")
                .status,
            200);
  const Answer answer = Insert(R"({"records":[{"fields":{"ssn":"1"},"tokens":{"ssn":"b"}}],
                                   "byot":"ENABLE","upsert":"ssn"})");
  EXPECT_EQ(answer.status, 409);
  EXPECT_TRUE(store_.FindByToken("vault1", "ssn", "ssn", "a"));
}

TEST_F(InsertHandlerTest, UpsertWithoutTokenKeepsTheTokenOfAnUnchangedValue) {
  const Answer first = Insert(R"({"records":[{"fields":{"ssn":"1","name":"Ann"}}],
                                  "tokenization":true})");
  ASSERT_EQ(first.status, 200);
  const Answer second = Insert(R"({"records":[{"fields":{"ssn":"1","name":"Bob"}}],
                                   "upsert":"ssn","tokenization":true})");
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.records[0].skyflow_id, first.records[0].skyflow_id);
  EXPECT_EQ(second.records[0].tokens.at("ssn"), first.records[0].tokens.at("ssn"));
  EXPECT_NE(second.records[0].tokens.at("name"), first.records[0].tokens.at("name"));
  const auto stored =
      store_.FindByToken("vault1", "ssn", "name", second.records[0].tokens.at("name"));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->fields[1].value, "Bob");
  EXPECT_EQ(Stats().records, 1u);
}

TEST_F(InsertHandlerTest, UpsertWithARepeatedValueInOneRequestAppliesInOrder) {
  const Answer answer = Insert(R"({"records":[
      {"fields":{"ssn":"9"},"tokens":{"ssn":"first"}},
      {"fields":{"ssn":"9"},"tokens":{"ssn":"second"}}],
    "byot":"ENABLE","upsert":"ssn","tokenization":true})");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.records[0].skyflow_id, answer.records[1].skyflow_id);
  EXPECT_EQ(Stats().records, 1u);
  EXPECT_FALSE(store_.FindByToken("vault1", "ssn", "ssn", "first"));
  EXPECT_TRUE(store_.FindByToken("vault1", "ssn", "ssn", "second"));
}

TEST_F(InsertHandlerTest, UpsertOnANonUniqueValueIsRefused) {
  ASSERT_EQ(Insert(R"({"records":[{"fields":{"name":"Ann"}},{"fields":{"name":"Ann"}}]})").status,
            200);
  const Answer answer = Insert(R"({"records":[{"fields":{"name":"Ann"}}],"upsert":"name"})");
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(answer.message.find("not unique"), std::string::npos) << answer.message;
}

// Values shared by several records are chained in the value index; an
// upsert that changes one of them must leave the chain and the index right.
TEST_F(InsertHandlerTest, UpsertKeepsSharedValuesIndexedCorrectly) {
  Answer answer = Insert(R"({"records":[{"fields":{"ssn":"1","name":"Ann"}},
                                        {"fields":{"ssn":"2","name":"Ann"}},
                                        {"fields":{"ssn":"3","name":"Ann"}}],"tokenization":true})");
  ASSERT_EQ(answer.status, 200);
  const std::string second_id = answer.records[1].skyflow_id;
  // Naming "name" in an upsert builds its value index (Ann x3, then Zed).
  ASSERT_EQ(Insert(R"({"records":[{"fields":{"name":"Zed"}}],"upsert":"name"})").status, 200);
  // Records 2, then 1, move away from "Ann": the middle and the head of the chain.
  ASSERT_EQ(Insert(R"({"records":[{"fields":{"ssn":"2","name":"Bob"}}],"upsert":"ssn"})").status,
            200);
  EXPECT_EQ(Insert(R"({"records":[{"fields":{"name":"Ann"}}],"upsert":"name"})").status, 400);
  ASSERT_EQ(Insert(R"({"records":[{"fields":{"ssn":"1","name":"Cy"}}],"upsert":"ssn"})").status,
            200);
  // One "Ann" left (record 3): now an upsert on it is an update.
  answer = Insert(R"({"records":[{"fields":{"name":"Ann","ssn":"33"}},
                                 {"fields":{"name":"Bob"}}],"upsert":"name","tokenization":true})");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.records[1].skyflow_id, second_id);
  EXPECT_EQ(Stats().records, 4u);
  const auto third = store_.FindByToken("vault1", "ssn", "ssn", answer.records[0].tokens.at("ssn"));
  ASSERT_TRUE(third);
  EXPECT_EQ(third->fields[0].value, "33");
}

TEST_F(InsertHandlerTest, UpsertNeedsTheColumnInEveryRecord) {
  const Answer answer = Insert(R"({"records":[{"fields":{"name":"Ann"}}],"upsert":"ssn"})");
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(answer.message.find("upsert column"), std::string::npos) << answer.message;
}

// The stats digest must equal a PairDigest computed from the (value, token)
// pairs that should be stored, through inserts, generated tokens, upsert
// updates and refused requests.
TEST_F(InsertHandlerTest, DigestMatchesAnIndependentPairDigest) {
  std::map<std::string, std::string> expected;  // value -> token, for column "ssn"
  std::map<std::string, std::string> names;     // skyflow_id -> (name value + '\0' + token)
  Answer answer = Insert(R"({"records":[
      {"fields":{"ssn":"1"},"tokens":{"ssn":"a"}},
      {"fields":{"ssn":"2"},"tokens":{"ssn":"b"}},
      {"fields":{"ssn":"3"}}],"byot":"ENABLE","tokenization":true})");
  ASSERT_EQ(answer.status, 200);
  expected["1"] = "a";
  expected["2"] = "b";
  expected["3"] = answer.records[2].tokens.at("ssn");

  answer =
      Insert(R"({"records":[{"fields":{"ssn":"2","name":"Zoe"},"tokens":{"ssn":"b2","name":"n"}},
                                 {"fields":{"ssn":"4"},"tokens":{"ssn":"d"}}],
                      "byot":"ENABLE","upsert":"ssn","tokenization":true})");
  ASSERT_EQ(answer.status, 200) << answer.body;
  expected["2"] = "b2";
  expected["4"] = "d";

  EXPECT_EQ(
      Insert(R"({"records":[{"fields":{"ssn":"5"},"tokens":{"ssn":"a"}}],"byot":"ENABLE"})").status,
      409);

  PairDigest digest;
  for (const auto& [value, token] : expected)
    digest.Add(value, token);
  digest.Add("Zoe", "n");
  EXPECT_EQ(Stats().records, 4u);
  EXPECT_EQ(Stats().digest.Hex(), digest.Hex());
}

TEST_F(InsertHandlerTest, HomogeneousRecordsMustShareColumns) {
  EXPECT_EQ(Insert(R"({"records":[{"fields":{"a":"1","b":"2"}},{"fields":{"b":"3","a":"4"}}],
                       "homogeneous":true})")
                .status,
            200);
  EXPECT_EQ(Insert(R"({"records":[{"fields":{"a":"1"}},{"fields":{"b":"3"}}],"homogeneous":true})")
                .status,
            400);
}

}  // namespace
}  // namespace skyflow::emulator
