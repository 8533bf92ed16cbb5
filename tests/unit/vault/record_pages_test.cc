#include "vault/record_pages.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace skyflow {
namespace {

using Ids = std::vector<std::string>;

TEST(RecordPagesTest, PageUrlAsksForRedactedValuesAtMost25AtATime) {
  EXPECT_EQ(RecordPageUrl("https://x.vault.skyflowapis.com/", "v1d", "ssn", 0),
            "https://x.vault.skyflowapis.com/v1/vaults/v1d/ssn?offset=0&limit=25"
            "&redaction=REDACTED");
  EXPECT_EQ(RecordPageUrl("http://127.0.0.1:8080", "a/b", "full name", 1000, 10),
            "http://127.0.0.1:8080/v1/vaults/a%2Fb/full%20name?offset=1000&limit=10"
            "&redaction=REDACTED");
  EXPECT_EQ(kMaxPageRecords, 25u);
}

TEST(RecordPagesTest, DeleteGoesToTheTable) {
  EXPECT_EQ(DeleteRecordsUrl("http://127.0.0.1:8080/", "v", "ssn"),
            "http://127.0.0.1:8080/v1/vaults/v/ssn");
}

TEST(RecordPagesTest, DeletePayloadListsTheIds) {
  std::string body;
  const Ids ids = {"9322ffcc-1", "9322ffcc-2"};
  EncodeDeletePayload(ids, &body);
  EXPECT_EQ(body, R"({"skyflow_ids":["9322ffcc-1","9322ffcc-2"]})");
}

TEST(RecordPagesTest, DeleteOfEveryRecordSendsAStar) {
  std::string body;
  const Ids every = {std::string(kEveryRecordId)};
  EncodeDeletePayload(every, &body);
  EXPECT_EQ(body, R"({"skyflow_ids":["*"]})");
}

TEST(RecordPagesTest, DecodesTheIdsOfAPageInOrder) {
  const Result<Ids> ids =
      DecodePageIds(R"({"records":[{"fields":{"skyflow_id":"a1","ssn":"*REDACTED*"}},)"
                    R"({"fields":{"skyflow_id":"b2","ssn":"*REDACTED*"},"tokens":{"ssn":"t"}}]})");
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  EXPECT_EQ(*ids, (Ids{"a1", "b2"}));
}

TEST(RecordPagesTest, AnEmptyPageHasNoIds) {
  const Result<Ids> ids = DecodePageIds(R"({"records":[]})");
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  EXPECT_TRUE(ids->empty());
}

TEST(RecordPagesTest, MalformedPagesAreErrorsThatSayWhy) {
  EXPECT_NE(DecodePageIds("<html>").status().message().find("not JSON"), std::string::npos);
  EXPECT_NE(DecodePageIds(R"({"rows":[]})").status().message().find("no \"records\""),
            std::string::npos);
  const Result<Ids> missing =
      DecodePageIds(R"({"records":[{"fields":{"skyflow_id":"a"}},{"fields":{"ssn":"x"}}]})");
  EXPECT_EQ(missing.status().code(), StatusCode::kParseError);
  EXPECT_NE(missing.status().message().find("record 1"), std::string::npos)
      << missing.status().message();
  EXPECT_FALSE(DecodePageIds(R"({"records":[{"fields":{"skyflow_id":7}}]})").ok());
}

TEST(RecordPagesTest, DecodesTheIdsADeleteReports) {
  const Result<Ids> ids = DecodeDeletedIds(R"({"RecordIDResponse":["a1","b2"]})");
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  EXPECT_EQ(*ids, (Ids{"a1", "b2"}));
  const Result<Ids> every = DecodeDeletedIds(R"({"RecordIDResponse":["*"]})");
  ASSERT_TRUE(every.ok());
  EXPECT_EQ(*every, (Ids{"*"}));
  const Result<Ids> none = DecodeDeletedIds(R"({"RecordIDResponse":[]})");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(RecordPagesTest, MalformedDeleteAnswersAreErrors) {
  EXPECT_EQ(DecodeDeletedIds("").status().code(), StatusCode::kParseError);
  EXPECT_EQ(DecodeDeletedIds(R"({"records":[]})").status().code(), StatusCode::kParseError);
  EXPECT_EQ(DecodeDeletedIds(R"({"RecordIDResponse":[1]})").status().code(),
            StatusCode::kParseError);
}

TEST(RecordPagesTest, A404SayingNoRecordsEndsTheTable) {
  EXPECT_TRUE(IsNoRecordsFound(
      R"({"error":{"grpc_code":5,"http_code":404,"http_status":"Not Found",)"
      R"("message":"No Records Found in table ssn for this request","details":[]}})"));
  EXPECT_TRUE(IsNoRecordsFound(R"({"error":"No Records Found"})"));
  EXPECT_TRUE(IsNoRecordsFound(R"({"error":{"message":"Invalid request. No Records Found"}})"));
}

TEST(RecordPagesTest, A404NamingAnInvalidVaultOrTableDoesNot) {
  EXPECT_FALSE(IsNoRecordsFound(
      R"({"error":{"message":"Invalid request. Table name cards is invalid in vault v."}})"));
  EXPECT_FALSE(IsNoRecordsFound(R"({"error":{"message":"Vault ID v is invalid"}})"));
}

}  // namespace
}  // namespace skyflow
