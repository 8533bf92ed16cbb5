// VaultTable's read side: the skyflow_id index, deletion (indexes, stats,
// digest), paging over live records, value look-ups, export order, and
// generated token formats. Records go in through the real insert parser.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "emulator/api/insert_request_parser.h"
#include "emulator/common/token_format.h"
#include "emulator/common/uuid.h"
#include "emulator/store/vault_table.h"
#include "util/pair_digest.h"

namespace skyflow::emulator {
namespace {

struct Pair {
  std::string value;
  std::string token;
};

class VaultTableDeleteTest : public ::testing::Test {
 protected:
  // Inserts one record per pair into column `column` with the given tokens
  // (byot ENABLE); returns the skyflow_ids in order.
  std::vector<Uuid> InsertPairs(const std::vector<Pair>& pairs, const std::string& column = "ssn",
                                const std::string& upsert = "") {
    std::string body = R"({"byot":"ENABLE",)";
    if (!upsert.empty()) body += R"("upsert":")" + upsert + R"(",)";
    body += R"("records":[)";
    for (size_t i = 0; i < pairs.size(); ++i) {
      if (i > 0) body += ",";
      body += R"({"fields":{")" + column + R"(":")" + pairs[i].value + R"("},"tokens":{")" +
              column + R"(":")" + pairs[i].token + R"("}})";
    }
    body += "]}";
    return InsertBody(body);
  }

  std::vector<Uuid> InsertBody(const std::string& body) {
    EXPECT_TRUE(parser_.Parse(body, &random_, &request_).ok()) << body;
    InsertResult result;
    const Status status = table_.Insert(request_, &random_, &result);
    EXPECT_TRUE(status.ok()) << status.message();
    std::vector<Uuid> ids;
    for (size_t r = 0; r < result.record_count(); ++r)
      ids.push_back(result.id(r));
    return ids;
  }

  static std::vector<Pair> Numbered(int from, int to) {
    std::vector<Pair> pairs;
    for (int i = from; i < to; ++i)
      pairs.push_back({"value-" + std::to_string(i), "token-" + std::to_string(i)});
    return pairs;
  }

  static PairDigest DigestOf(const std::vector<Pair>& pairs) {
    PairDigest digest;
    for (const Pair& pair : pairs)
      digest.Add(pair.value, pair.token);
    return digest;
  }

  std::vector<std::string> PageValues(uint64_t offset, uint64_t limit, bool descending = false) {
    std::vector<std::string> values;
    for (const StoredRecordCopy& record : table_.Page(offset, limit, descending)) {
      values.push_back(record.fields.at(0).value);
    }
    return values;
  }

  Random random_{7};
  InsertRequestParser parser_{InsertRequestParser::Limits{}};
  InsertRequest request_;
  VaultTable table_;
};

TEST_F(VaultTableDeleteTest, FindsRecordsBySkyflowId) {
  const std::vector<Uuid> ids = InsertPairs(Numbered(0, 50));
  for (size_t i = 0; i < ids.size(); ++i) {
    const auto record = table_.FindById(ids[i]);
    ASSERT_TRUE(record.has_value());
    EXPECT_EQ(record->id, ids[i]);
    EXPECT_EQ(record->fields.at(0).value, "value-" + std::to_string(i));
    EXPECT_EQ(record->fields.at(0).token, "token-" + std::to_string(i));
  }
  Uuid unknown = ids[0];
  unknown.bytes[15] ^= 0xFF;
  EXPECT_FALSE(table_.FindById(unknown).has_value());
}

TEST_F(VaultTableDeleteTest, DeletedRecordLeavesEveryIndexAndTheStats) {
  const std::vector<Uuid> ids = InsertPairs(Numbered(0, 3));
  // Build the value index first, so deletion has to take the record out of it.
  ASSERT_EQ(table_.FindByValue("ssn", "value-1").size(), 1u);

  ASSERT_TRUE(table_.Delete(ids[1]));
  EXPECT_FALSE(table_.Delete(ids[1]));  // already gone
  EXPECT_FALSE(table_.FindById(ids[1]).has_value());
  EXPECT_FALSE(table_.FindByToken("ssn", "token-1").has_value());
  EXPECT_FALSE(table_.Detokenize("token-1").has_value());
  EXPECT_TRUE(table_.FindByValue("ssn", "value-1").empty());
  EXPECT_EQ(table_.Stats().records, 2u);
  EXPECT_EQ(PageValues(0, 25), (std::vector<std::string>{"value-0", "value-2"}));

  // The deleted token and value are free again: a new record may take them,
  // and an upsert on the value inserts instead of resurrecting the record.
  const std::vector<Uuid> again = InsertPairs({{"value-1", "token-1"}}, "ssn", "ssn");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_NE(again[0], ids[1]);
  EXPECT_EQ(table_.Stats().records, 3u);
  EXPECT_EQ(table_.Detokenize("token-1")->value, "value-1");
}

TEST_F(VaultTableDeleteTest, DigestAfterDeleteEqualsDigestOfRemainingPairs) {
  std::vector<Pair> pairs = Numbered(0, 40);
  const std::vector<Uuid> ids = InsertPairs(pairs);
  EXPECT_EQ(table_.Stats().digest, DigestOf(pairs));
  std::vector<Pair> remaining;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i % 3 == 0) {
      ASSERT_TRUE(table_.Delete(ids[i]));
    } else {
      remaining.push_back(pairs[i]);
    }
  }
  EXPECT_EQ(table_.Stats().digest, DigestOf(remaining));
  EXPECT_EQ(table_.Stats().digest.Hex(), DigestOf(remaining).Hex());
  EXPECT_EQ(table_.Stats().records, remaining.size());
}

TEST_F(VaultTableDeleteTest, DeleteAfterUpsertRemovesTheCurrentPair) {
  const std::vector<Uuid> ids = InsertPairs({{"v", "old-token"}});
  InsertPairs({{"v", "new-token"}}, "ssn", "ssn");  // same record, new token
  EXPECT_EQ(table_.Stats().digest, DigestOf({{"v", "new-token"}}));
  ASSERT_TRUE(table_.Delete(ids[0]));
  EXPECT_EQ(table_.Stats().digest, PairDigest());
  EXPECT_EQ(table_.Stats().records, 0u);
}

TEST_F(VaultTableDeleteTest, DeleteAllEmptiesTheTableButKeepsItUsable) {
  InsertPairs(Numbered(0, 30));
  EXPECT_EQ(table_.DeleteAll(), 30u);
  EXPECT_EQ(table_.Stats().records, 0u);
  EXPECT_EQ(table_.Stats().digest, PairDigest());
  EXPECT_TRUE(table_.Page(0, 25, false).empty());
  EXPECT_FALSE(table_.Detokenize("token-3").has_value());
  EXPECT_TRUE(table_.HasColumn("ssn"));
  InsertPairs(Numbered(3, 5));  // tokens are free again
  EXPECT_EQ(PageValues(0, 25), (std::vector<std::string>{"value-3", "value-4"}));
  EXPECT_EQ(table_.Stats().digest, DigestOf(Numbered(3, 5)));
}

TEST_F(VaultTableDeleteTest, PagesOverLiveRecordsInBothOrders) {
  const std::vector<Uuid> ids = InsertPairs(Numbered(0, 10));
  ASSERT_TRUE(table_.Delete(ids[0]));
  ASSERT_TRUE(table_.Delete(ids[4]));
  ASSERT_TRUE(table_.Delete(ids[9]));
  EXPECT_EQ(PageValues(0, 3), (std::vector<std::string>{"value-1", "value-2", "value-3"}));
  EXPECT_EQ(PageValues(3, 3), (std::vector<std::string>{"value-5", "value-6", "value-7"}));
  EXPECT_EQ(PageValues(6, 3), (std::vector<std::string>{"value-8"}));
  EXPECT_TRUE(PageValues(7, 3).empty());
  EXPECT_EQ(PageValues(0, 3, true), (std::vector<std::string>{"value-8", "value-7", "value-6"}));
  EXPECT_EQ(PageValues(5, 3, true), (std::vector<std::string>{"value-2", "value-1"}));
}

// The clearing loop of a delete-everything tool: read the first page, delete
// it, again, from the front and (descending) from the back. Every round must
// see a full page of live records until the table is empty. (The first-live
// and end-live hints keep each round at O(page); the elapsed time is printed
// for whoever watches the figure.)
TEST_F(VaultTableDeleteTest, ClearingLoopEmptiesTheTableFromEitherEnd) {
  constexpr int kRecords = 200000;
  for (int from = 0; from < kRecords; from += 10000)
    InsertPairs(Numbered(from, from + 10000));
  const auto start = std::chrono::steady_clock::now();
  int rounds = 0;
  for (bool descending : {false, true}) {
    if (descending) InsertPairs(Numbered(kRecords, kRecords + 20000));
    while (rounds < kRecords) {
      const std::vector<StoredRecordCopy> page = table_.Page(0, 25, descending);
      if (page.empty()) break;
      ASSERT_EQ(page.size(), 25u);
      for (const StoredRecordCopy& record : page)
        ASSERT_TRUE(table_.Delete(record.id));
      ++rounds;
    }
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(rounds, (kRecords + 20000) / 25);
  EXPECT_EQ(table_.Stats().records, 0u);
  std::printf("clearing %d records in pages of 25: %lld ms\n", kRecords + 20000,
              static_cast<long long>(
                  std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));
}

TEST_F(VaultTableDeleteTest, FindsByValueInInsertionOrder) {
  InsertBody(R"({"records":[{"fields":{"dob":"1990"}},{"fields":{"dob":"1985"}},
                            {"fields":{"dob":"1990"}}]})");
  const std::vector<StoredRecordCopy> found = table_.FindByValue("dob", "1990");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].fields[0].value, "1990");
  EXPECT_EQ(table_.Page(0, 1, false)[0].id, found[0].id);
  EXPECT_TRUE(table_.FindByValue("dob", "2000").empty());
  EXPECT_TRUE(table_.FindByValue("nope", "1990").empty());
}

TEST_F(VaultTableDeleteTest, ForEachPairFollowsInsertionOrderAndSkipsDeleted) {
  const std::vector<Uuid> ids = InsertBody(R"({"byot":"ENABLE","records":[
      {"fields":{"a":"1","b":"2"},"tokens":{"a":"t1","b":"t2"}},
      {"fields":{"b":"3"},"tokens":{"b":"t3"}},
      {"fields":{"a":"4"},"tokens":{"a":"t4"}}]})");
  ASSERT_TRUE(table_.Delete(ids[1]));
  std::vector<std::string> seen;
  table_.ForEachPair([&](std::string_view column, std::string_view value, std::string_view token) {
    seen.push_back(std::string(column) + "=" + std::string(value) + "/" + std::string(token));
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"a=1/t1", "b=2/t2", "a=4/t4"}));
  EXPECT_EQ(table_.column_count(), 2u);
  const auto match = table_.Detokenize("t2");
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->column, "b");
  EXPECT_EQ(match->value, "2");
}

TEST(TokenFormatTest, ParsesTheThreeFormsAndRefusesOthers) {
  Random random(3);
  EXPECT_EQ(TokenFormat().Generate(&random).size(), kUuidTextSize);
  EXPECT_TRUE(ParseUuid(TokenFormat().Generate(&random)).has_value());

  const Result<TokenFormat> numeric = TokenFormat::Parse("numeric16");
  ASSERT_TRUE(numeric.ok());
  for (int i = 0; i < 100; ++i) {
    const std::string token = numeric->Generate(&random);
    ASSERT_EQ(token.size(), 16u);
    EXPECT_NE(token[0], '0');
    EXPECT_EQ(token.find_first_not_of("0123456789"), std::string::npos) << token;
  }

  const Result<TokenFormat> prefixed = TokenFormat::Parse("prefix:tok_");
  ASSERT_TRUE(prefixed.ok());
  const std::string token = prefixed->Generate(&random);
  ASSERT_EQ(token.size(), 4u + 32u);
  EXPECT_EQ(token.substr(0, 4), "tok_");
  EXPECT_EQ(token.find_first_not_of("0123456789abcdef", 4), std::string::npos) << token;
  EXPECT_NE(prefixed->Generate(&random), token);

  EXPECT_FALSE(TokenFormat::Parse("prefix:").ok());
  EXPECT_FALSE(TokenFormat::Parse("prefix:a b").ok());
  EXPECT_FALSE(TokenFormat::Parse("numeric").ok());
  EXPECT_FALSE(TokenFormat::Parse("").ok());
}

TEST(TokenFormatTest, TheInsertParserGeneratesTokensOfTheFormat) {
  Random random(5);
  InsertRequestParser parser(InsertRequestParser::Limits{}, *TokenFormat::Parse("numeric16"));
  InsertRequest request;
  ASSERT_TRUE(parser
                  .Parse(R"({"records":[{"fields":{"card":"4111"}},{"fields":{"card":"4222"}}]})",
                         &random, &request)
                  .ok());
  VaultTable table;
  InsertResult result;
  ASSERT_TRUE(table.Insert(request, &random, &result).ok());
  ASSERT_EQ(result.record_count(), 2u);
  EXPECT_EQ(result.token(0).size(), 16u);
  EXPECT_NE(result.token(0), result.token(1));
  EXPECT_EQ(table.Detokenize(result.token(1))->value, "4222");
}

TEST(UuidTest, ParsesItsOwnTextInEitherCase) {
  Random random(9);
  const Uuid id = RandomUuid(&random);
  std::string text = UuidText(id);
  EXPECT_EQ(ParseUuid(text), id);
  for (char& c : text)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(ParseUuid(text), id);
  EXPECT_FALSE(ParseUuid(text.substr(1)).has_value());
  text[8] = 'x';
  EXPECT_FALSE(ParseUuid(text).has_value());
  EXPECT_FALSE(ParseUuid("g0000000-0000-0000-0000-000000000000").has_value());
}

}  // namespace
}  // namespace skyflow::emulator
