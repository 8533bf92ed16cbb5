// Conformance of the emulator's read side over real HTTP: a
// skyflow-vault-emulator process on 127.0.0.1 (port 0), driven with libcurl
// directly. Inserts, then checks status codes and bodies of GET records
// (paging, skyflow_ids, column look-up, tokenization, redaction, the limit),
// DELETE (ids, "*", one record), detokenize (known and unknown tokens) and
// the admin export (CSV and JSON Lines, byte for byte), against the spec
// (shared spec section 5) and docs/emulator.md.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/emulator_process.h"
#include "harness/http_request.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {
namespace {

constexpr const char* kToken = "read-api-conformance-token";

struct Stored {
  std::string id;
  std::string value;
  std::string token;
};

class ReadApiConformanceTest : public ::testing::Test {
 protected:
  void Start(const std::vector<std::string>& extra = {}) {
    emulator_ = std::make_unique<EmulatorProcess>(dir_.path(), kToken, extra);
    ASSERT_TRUE(emulator_->ready());
  }

  std::string Url(const std::string& path) const { return emulator_->url() + path; }
  HttpAnswer Get(const std::string& path) { return HttpCall("GET", Url(path), "", kToken); }
  HttpAnswer Delete(const std::string& path, const std::string& body = "") {
    return HttpCall("DELETE", Url(path), body, kToken);
  }
  HttpAnswer Post(const std::string& path, const std::string& body) {
    return HttpCall("POST", Url(path), body, kToken);
  }

  // Inserts (value, token) pairs into v1/ssn with byot ENABLE; a pair with an
  // empty token gets a generated one. Returns what was stored, in order.
  std::vector<Stored> Insert(const std::vector<std::pair<std::string, std::string>>& pairs) {
    std::string body = R"({"byot":"ENABLE","tokenization":true,"records":[)";
    for (size_t i = 0; i < pairs.size(); ++i) {
      if (i > 0) body += ",";
      body += R"({"fields":{"ssn":)" + Json(pairs[i].first) + "}";
      if (!pairs[i].second.empty()) body += R"(,"tokens":{"ssn":)" + Json(pairs[i].second) + "}";
      body += "}";
    }
    body += "]}";
    const HttpAnswer answer = Post("/v1/vaults/v1/ssn", body);
    EXPECT_EQ(answer.status, 200) << answer.body;
    std::vector<Stored> stored;
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(answer.body).get(root) != simdjson::SUCCESS) return stored;
    size_t i = 0;
    for (simdjson::dom::element record : root["records"].get_array()) {
      stored.push_back({std::string(record["skyflow_id"].get_string().value()), pairs[i].first,
                        std::string(record["tokens"]["ssn"].get_string().value())});
      ++i;
    }
    return stored;
  }

  static std::string Json(const std::string& text) {
    std::string quoted = "\"";
    for (const char c : text) {
      if (c == '\n') {
        quoted += "\\n";
        continue;
      }
      if (c == '"' || c == '\\') quoted.push_back('\\');
      quoted.push_back(c);
    }
    return quoted + "\"";
  }

  // The body GET answers for `records`, PLAIN_TEXT, optionally with tokens.
  static std::string RecordsBody(const std::vector<Stored>& records, bool tokens = false,
                                 const std::string& shown_value = "") {
    std::string body = R"({"records":[)";
    for (size_t i = 0; i < records.size(); ++i) {
      if (i > 0) body += ",";
      body += R"({"fields":{"skyflow_id":")" + records[i].id + R"(","ssn":)" +
              Json(shown_value.empty() ? records[i].value : shown_value) + "}";
      if (tokens) body += R"(,"tokens":{"ssn":)" + Json(records[i].token) + "}";
      body += "}";
    }
    return body + "]}";
  }

  static std::string ErrorMessage(const HttpAnswer& answer) {
    simdjson::dom::parser parser;
    std::string_view message;
    if (parser.parse(answer.body)["error"]["message"].get(message) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not the API error shape: " << answer.body;
    }
    return std::string(message);
  }

  TempDir dir_;
  std::unique_ptr<EmulatorProcess> emulator_;
};

TEST_F(ReadApiConformanceTest, ReadsPagesIdsValuesTokensAndRedactions) {
  Start();
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 30; ++i)
    pairs.emplace_back("100-00-" + std::to_string(1000 + i), "tok-" + std::to_string(i));
  pairs[7] = {"a b+c", "tok-7"};
  const std::vector<Stored> stored = Insert(pairs);
  ASSERT_EQ(stored.size(), 30u);

  // Paging: the default limit is 25; the rest follows at offset 25.
  HttpAnswer answer = Get("/v1/vaults/v1/ssn?redaction=PLAIN_TEXT");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.content_type, "application/json");
  EXPECT_EQ(answer.body, RecordsBody({stored.begin(), stored.begin() + 25}));
  answer = Get("/v1/vaults/v1/ssn?redaction=PLAIN_TEXT&offset=25&limit=25");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, RecordsBody({stored.begin() + 25, stored.end()}));
  answer = Get("/v1/vaults/v1/ssn?redaction=PLAIN_TEXT&limit=2&order_by=DESCENDING");
  EXPECT_EQ(answer.body, RecordsBody({stored[29], stored[28]}));

  // Over the maximum: 400 naming it.
  answer = Get("/v1/vaults/v1/ssn?limit=26");
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(ErrorMessage(answer).find("maximum of 25"), std::string::npos) << answer.body;

  // By skyflow_ids, repeated and comma-separated, in the order asked.
  answer = Get("/v1/vaults/v1/ssn?redaction=PLAIN_TEXT&skyflow_ids=" + stored[3].id + "," +
               stored[1].id + "&skyflow_ids=" + stored[2].id);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, RecordsBody({stored[3], stored[1], stored[2]}));

  // By value, URL-encoded ("a b+c" as a+b%2Bc).
  answer = Get("/v1/vaults/v1/ssn?redaction=PLAIN_TEXT&column_name=ssn&column_values=a+b%2Bc");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, RecordsBody({stored[7]}));
  answer = Get("/v1/vaults/v1/ssn?redaction=PLAIN_TEXT&column_name=ssn&column_values=" +
               UrlEncode(stored[9].value));
  EXPECT_EQ(answer.body, RecordsBody({stored[9]}));

  // Tokens come with tokenization=true, values then as DEFAULT shows them.
  answer = Get("/v1/vaults/v1/ssn?tokenization=true&skyflow_ids=" + stored[0].id);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, RecordsBody({stored[0]}, true, "*******1000"));
  answer = Get("/v1/vaults/v1/ssn?tokenization=true&redaction=PLAIN_TEXT");
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(ErrorMessage(answer).find("redaction cannot be applied"), std::string::npos);

  answer = Get("/v1/vaults/v1/ssn?redaction=MASKED&skyflow_ids=" + stored[0].id);
  EXPECT_EQ(answer.body, RecordsBody({stored[0]}, false, "*******1000"));
  answer = Get("/v1/vaults/v1/ssn?redaction=REDACTED&skyflow_ids=" + stored[0].id);
  EXPECT_EQ(answer.body, RecordsBody({stored[0]}, false, "*REDACTED*"));

  // Unknown table; no bearer token.
  answer = Get("/v1/vaults/v1/cards");
  EXPECT_EQ(answer.status, 404);
  EXPECT_NE(ErrorMessage(answer).find("Table name cards is invalid"), std::string::npos);
  EXPECT_EQ(HttpCall("GET", Url("/v1/vaults/v1/ssn")).status, 401);
}

TEST_F(ReadApiConformanceTest, DetokenizesKnownAndUnknownTokens) {
  Start();
  const std::vector<Stored> stored = Insert({{"123-45-6789", "tok-a"}, {"987-65-4321", ""}});
  ASSERT_EQ(stored.size(), 2u);
  HttpAnswer answer =
      Post("/v1/vaults/v1/detokenize",
           R"({"detokenizationParameters":[{"token":"tok-a","redaction":"PLAIN_TEXT"},
                               {"token":)" +
               Json(stored[1].token) + R"(,"redaction":"PLAIN_TEXT"}]})");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body,
            R"({"records":[{"token":"tok-a","valueType":"STRING","value":"123-45-6789"},)"
            R"({"token":)" +
                Json(stored[1].token) + R"(,"valueType":"STRING","value":"987-65-4321"}]})");

  answer = Post("/v1/vaults/v1/detokenize",
                R"({"detokenizationParameters":[{"token":"tok-a","redaction":"PLAIN_TEXT"},
                    {"token":"tok-unknown"}],"continueOnError":true})");
  EXPECT_EQ(answer.status, 207);
  EXPECT_EQ(answer.body,
            R"({"records":[{"token":"tok-a","valueType":"STRING","value":"123-45-6789"},)"
            R"({"token":"tok-unknown","valueType":"NONE","value":"","error":"Token not found"}]})");

  answer = Post("/v1/vaults/v1/detokenize", R"({"detokenizationParameters":[{"token":"tok-x"}]})");
  EXPECT_EQ(answer.status, 404);
  EXPECT_NE(ErrorMessage(answer).find("detokenizationParameters[0]"), std::string::npos);
  EXPECT_EQ(HttpCall("POST", Url("/v1/vaults/v1/detokenize"),
                     R"({"detokenizationParameters":[{"token":"tok-a"}]})")
                .status,
            401);
}

TEST_F(ReadApiConformanceTest, ExportsTheTableExactly) {
  Start();
  const std::vector<Stored> stored =
      Insert({{"plain", "t1"}, {"with,comma", "t\"2"}, {"line\nbreak", "t3"}, {"é", "t4"}});
  ASSERT_EQ(stored.size(), 4u);
  HttpAnswer answer = HttpCall("GET", Url("/emulator/v1/export?vault=v1&table=ssn&format=csv"));
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(answer.body,
            "value,token\r\nplain,t1\r\n\"with,comma\",\"t\"\"2\"\r\n\"line\nbreak\",t3\r\n"
            "é,t4\r\n");
  answer = HttpCall("GET", Url("/emulator/v1/export?vault=v1&table=ssn&format=jsonl"));
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.content_type, "application/x-ndjson");
  EXPECT_EQ(answer.body,
            "{\"value\":\"plain\",\"token\":\"t1\"}\n"
            "{\"value\":\"with,comma\",\"token\":\"t\\\"2\"}\n"
            "{\"value\":\"line\\nbreak\",\"token\":\"t3\"}\n"
            "{\"value\":\"é\",\"token\":\"t4\"}\n");

  // A deleted record leaves the export.
  ASSERT_EQ(Delete("/v1/vaults/v1/ssn/" + stored[1].id).status, 200);
  answer = HttpCall("GET", Url("/emulator/v1/export?vault=v1&table=ssn&format=csv"));
  EXPECT_EQ(answer.body, "value,token\r\nplain,t1\r\n\"line\nbreak\",t3\r\né,t4\r\n");

  EXPECT_EQ(HttpCall("GET", Url("/emulator/v1/export?vault=v1&table=nope&format=csv")).status, 404);
  EXPECT_EQ(HttpCall("GET", Url("/emulator/v1/export?vault=v1&table=ssn&format=xml")).status, 400);
}

TEST_F(ReadApiConformanceTest, DeletesByIdsByStarAndOneByOne) {
  Start();
  const std::vector<Stored> stored =
      Insert({{"a", "ta"}, {"b", "tb"}, {"c", "tc"}, {"d", "td"}, {"e", "te"}});
  ASSERT_EQ(stored.size(), 5u);
  HttpAnswer answer =
      Delete("/v1/vaults/v1/ssn", R"({"skyflow_ids":[")" + stored[0].id + R"(",")" + stored[2].id +
                                      R"(","00000000-0000-4000-8000-000000000000"]})");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body,
            R"({"RecordIDResponse":[")" + stored[0].id + R"(",")" + stored[2].id + R"("]})");

  answer = Delete("/v1/vaults/v1/ssn/" + stored[1].id);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, R"({"skyflow_id":")" + stored[1].id + R"(","deleted":true})");
  answer = Delete("/v1/vaults/v1/ssn/" + stored[1].id);
  EXPECT_EQ(answer.status, 404);
  EXPECT_NE(ErrorMessage(answer).find("No Records Found"), std::string::npos);

  answer = Get("/v1/vaults/v1/ssn?redaction=PLAIN_TEXT");
  EXPECT_EQ(answer.body, RecordsBody({stored[3], stored[4]}));
  EXPECT_EQ(emulator_->Stats()["v1/ssn"].records, 2u);

  answer = Delete("/v1/vaults/v1/ssn", R"({"skyflow_ids":["*"]})");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, R"({"RecordIDResponse":["*"]})");
  answer = Get("/v1/vaults/v1/ssn");
  EXPECT_EQ(answer.status, 404);  // an empty read, by default
  EXPECT_NE(ErrorMessage(answer).find("No Records Found"), std::string::npos);
  const TableStats stats = emulator_->Stats()["v1/ssn"];
  EXPECT_EQ(stats.records, 0u);
  EXPECT_EQ(stats.digest, std::string(64, '0'));

  EXPECT_EQ(Delete("/v1/vaults/v1/ssn", R"({"skyflow_ids":[]})").status, 400);
  EXPECT_EQ(Delete("/v1/vaults/v1/cards", R"({"skyflow_ids":["*"]})").status, 404);
  EXPECT_EQ(HttpCall("DELETE", Url("/v1/vaults/v1/ssn"), R"({"skyflow_ids":["*"]})").status, 401);
}

// A clearing tool's loop over HTTP: read the first page, delete it, until the
// read comes back empty; every record is seen once.
TEST_F(ReadApiConformanceTest, ClearingLoopSeesEveryRecordOnce) {
  Start();
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 120; ++i)
    pairs.emplace_back("v" + std::to_string(i), "");
  ASSERT_EQ(Insert(pairs).size(), 120u);
  std::map<std::string, int> seen;
  int rounds = 0;
  for (; rounds < 20; ++rounds) {
    const HttpAnswer page = Get("/v1/vaults/v1/ssn?offset=0&limit=25&redaction=PLAIN_TEXT");
    if (page.status == 404) break;
    ASSERT_EQ(page.status, 200) << page.body;
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    ASSERT_EQ(parser.parse(page.body).get(root), simdjson::SUCCESS);
    std::string body = R"({"skyflow_ids":[)";
    bool first = true;
    for (simdjson::dom::element record : root["records"].get_array()) {
      const std::string id(record["fields"]["skyflow_id"].get_string().value());
      ++seen[std::string(record["fields"]["ssn"].get_string().value())];
      body += (first ? "\"" : ",\"") + id + "\"";
      first = false;
    }
    ASSERT_EQ(Delete("/v1/vaults/v1/ssn", body + "]}").status, 200);
  }
  EXPECT_EQ(rounds, 5);  // 120 records, 25 at a time
  EXPECT_EQ(seen.size(), 120u);
  for (const auto& [value, count] : seen)
    EXPECT_EQ(count, 1) << value;
}

TEST_F(ReadApiConformanceTest, FlagsChangeTheLimitTheEmptyStatusAndTheTokenFormat) {
  Start({"--max-read-limit", "100", "--empty-read-status", "200", "--token-format", "prefix:tok_"});
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 60; ++i)
    pairs.emplace_back("v" + std::to_string(i), "");
  const std::vector<Stored> stored = Insert(pairs);
  ASSERT_EQ(stored.size(), 60u);
  for (const Stored& record : stored) {
    EXPECT_EQ(record.token.size(), 4u + 32u);
    EXPECT_EQ(record.token.substr(0, 4), "tok_");
  }
  HttpAnswer answer = Get("/v1/vaults/v1/ssn?limit=100&redaction=PLAIN_TEXT");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, RecordsBody(stored));
  EXPECT_EQ(Get("/v1/vaults/v1/ssn?limit=101").status, 400);
  answer = Get("/v1/vaults/v1/ssn?offset=60");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, R"({"records":[]})");
}

}  // namespace
}  // namespace skyflow::testing
