#include "vault/insert_payload.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <vector>

namespace skyflow {
namespace {

std::vector<Record> Records(std::initializer_list<std::pair<std::string, std::string>> pairs) {
  std::vector<Record> records;
  uint64_t sequence = 0;
  for (const auto& [value, token] : pairs)
    records.push_back({sequence++, 0, value, token});
  return records;
}

TEST(InsertPayloadTest, MatchesTheVaultApiShape) {
  std::string body;
  EncodeInsertPayload({"ssn", "ssn", false}, Records({{"123-45-6789", "tok_1"}}), &body);
  EXPECT_EQ(body, R"({"records":[{"fields":{"ssn":"123-45-6789"},"tokens":{"ssn":"tok_1"}}],)"
                  R"("tokenization":true,"byot":"ENABLE"})");
}

TEST(InsertPayloadTest, UpsertNamesTheColumn) {
  std::string body;
  EncodeInsertPayload({"name", "name", true}, Records({{"a", "b"}}), &body);
  EXPECT_NE(body.find(R"("upsert":"name")"), std::string::npos);
}

TEST(InsertPayloadTest, HardValuesSurviveAJsonParser) {
  const auto records = Records({{"O\"Brien, \\Jr.", "t\"1"},
                                {"line\nbreak\ttab\r\x01", "t2"},
                                {"Zoë Ångström 山田 🎉", "tök"}});
  std::string body;
  EncodeInsertPayload({"name", "name", false}, records, &body);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_FALSE(parser.parse(body).get(root)) << body;
  simdjson::dom::array parsed;
  ASSERT_FALSE(root["records"].get_array().get(parsed));
  size_t i = 0;
  for (simdjson::dom::element record : parsed) {
    ASSERT_LT(i, records.size());
    std::string_view value, token;
    ASSERT_FALSE(record["fields"]["name"].get_string().get(value));
    ASSERT_FALSE(record["tokens"]["name"].get_string().get(token));
    EXPECT_EQ(value, records[i].value);
    EXPECT_EQ(token, records[i].token);
    ++i;
  }
  EXPECT_EQ(i, records.size());
}

TEST(InsertPayloadTest, BatchEndpointAsksForAnAnswerPerRecord) {
  std::string body;
  EncodeInsertPayload({"ssn", "people", true, InsertApi::kBatch}, Records({{"1", "t1"}}), &body);
  EXPECT_EQ(body, R"({"records":[{"tableName":"people","method":"POST",)"
                  R"("fields":{"ssn":"1"},"tokens":{"ssn":"t1"},"tokenization":true,)"
                  R"("upsert":"ssn"}],"continueOnError":true,"byot":"ENABLE"})");
}

TEST(InsertPayloadTest, UrlEncodesPathSegmentsAndToleratesTrailingSlash) {
  EXPECT_EQ(InsertUrl("https://x.vault.skyflowapis.com/", "v1d", {"c", "full name"}),
            "https://x.vault.skyflowapis.com/v1/vaults/v1d/full%20name");
  EXPECT_EQ(InsertUrl("http://127.0.0.1:8080", "a/b", {"ssn", "ssn"}),
            "http://127.0.0.1:8080/v1/vaults/a%2Fb/ssn");
  EXPECT_EQ(InsertUrl("http://127.0.0.1:8080", "v", {"ssn", "ssn", false, InsertApi::kBatch}),
            "http://127.0.0.1:8080/v1/vaults/v");
}

}  // namespace
}  // namespace skyflow
