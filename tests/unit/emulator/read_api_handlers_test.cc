// The vault API's read side driven in-process through ApiHandler (routing,
// authentication, faults, then the endpoint) against a real store: GET
// records, DELETE, detokenize, the admin export, and the query-string,
// redaction and option parsing behind them. No sockets.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "emulator/api/query_string.h"
#include "emulator/api/read_request.h"
#include "emulator/api/redaction.h"
#include "emulator/emulator_options.h"
#include "emulator/http/http_request.h"
#include "emulator/http/http_response.h"
#include "emulator/store/vault_schema.h"
#include "emulator/vault_emulator.h"

namespace skyflow::emulator {
namespace {

struct Reply {
  int status = 0;
  std::string body;
  std::string content_type;
  std::string message;  // error message, when the body is the error shape
};

// A record of a GET answer: fields and tokens by column.
struct ReadRecord {
  std::map<std::string, std::string> fields;
  std::map<std::string, std::string> tokens;
};

class ReadApiTest : public ::testing::Test {
 protected:
  void Start(VaultEmulatorConfig config = {}) {
    config.seed = 11;
    emulator_ = std::make_unique<VaultEmulator>(std::move(config));
    handler_ = emulator_->CreateHandler(0);
  }

  Reply Call(std::string_view method, std::string_view target, std::string_view body = "",
             std::string_view bearer = "") {
    HttpRequest request;
    request.method = method;
    request.target = target;
    const size_t question = target.find('?');
    request.path = target.substr(0, question);
    request.query = question == std::string_view::npos ? "" : target.substr(question + 1);
    request.body = body;
    std::string authorization = "Bearer " + std::string(bearer);
    if (!bearer.empty()) request.headers.push_back({"Authorization", authorization});
    HttpResponse response;
    handler_->Handle(request, &response);
    Reply reply{response.status, response.body, std::string(response.content_type), ""};
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    std::string_view message;
    if (response.content_type == "application/json" &&
        parser.parse(response.body).get(root) == simdjson::SUCCESS &&
        root["error"]["message"].get(message) == simdjson::SUCCESS) {
      reply.message = std::string(message);
    }
    return reply;
  }

  // Inserts value->token pairs into vault1/<table>/<column> (byot ENABLE);
  // returns the skyflow_ids.
  std::vector<std::string> Insert(const std::vector<std::pair<std::string, std::string>>& pairs,
                                  const std::string& table = "ssn",
                                  const std::string& column = "ssn") {
    std::string body = R"({"byot":"ENABLE","records":[)";
    for (size_t i = 0; i < pairs.size(); ++i) {
      if (i > 0) body += ",";
      body += R"({"fields":{")" + column + R"(":")" + pairs[i].first + R"("},"tokens":{")" +
              column + R"(":")" + pairs[i].second + R"("}})";
    }
    body += "]}";
    const Reply reply = Call("POST", "/v1/vaults/vault1/" + table, body, bearer_);
    EXPECT_EQ(reply.status, 200) << reply.body;
    std::vector<std::string> ids;
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    EXPECT_EQ(parser.parse(reply.body).get(root), simdjson::SUCCESS);
    for (simdjson::dom::element record : root["records"].get_array()) {
      ids.emplace_back(record["skyflow_id"].get_string().value());
    }
    return ids;
  }

  static std::vector<ReadRecord> Records(const std::string& body) {
    std::vector<ReadRecord> records;
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    EXPECT_EQ(parser.parse(body).get(root), simdjson::SUCCESS) << body;
    simdjson::dom::array array;
    EXPECT_EQ(root["records"].get(array), simdjson::SUCCESS) << body;
    for (simdjson::dom::element element : array) {
      ReadRecord record;
      for (auto [key, value] : element["fields"].get_object()) {
        record.fields[std::string(key)] = std::string(value.get_string().value());
      }
      simdjson::dom::object tokens;
      if (element["tokens"].get(tokens) == simdjson::SUCCESS) {
        for (auto [key, value] : tokens) {
          record.tokens[std::string(key)] = std::string(value.get_string().value());
        }
      }
      records.push_back(std::move(record));
    }
    return records;
  }

  std::string bearer_;
  std::unique_ptr<VaultEmulator> emulator_;
  std::unique_ptr<HttpHandler> handler_;
};

TEST_F(ReadApiTest, PagesWithOffsetAndLimitInInsertionOrder) {
  Start();
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 30; ++i)
    pairs.emplace_back("v" + std::to_string(i), "t" + std::to_string(i));
  const std::vector<std::string> ids = Insert(pairs);

  Reply reply = Call("GET", "/v1/vaults/vault1/ssn?redaction=PLAIN_TEXT");
  ASSERT_EQ(reply.status, 200) << reply.body;
  std::vector<ReadRecord> records = Records(reply.body);
  ASSERT_EQ(records.size(), 25u);  // the default limit
  EXPECT_EQ(records[0].fields.at("skyflow_id"), ids[0]);
  EXPECT_EQ(records[0].fields.at("ssn"), "v0");
  EXPECT_TRUE(records[0].tokens.empty());

  reply = Call("GET", "/v1/vaults/vault1/ssn?offset=27&limit=10&redaction=PLAIN_TEXT");
  records = Records(reply.body);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2].fields.at("ssn"), "v29");

  reply = Call("GET", "/v1/vaults/vault1/ssn?limit=2&order_by=DESCENDING&redaction=PLAIN_TEXT");
  records = Records(reply.body);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields.at("ssn"), "v29");
  EXPECT_EQ(records[1].fields.at("ssn"), "v28");

  reply = Call("GET", "/v1/vaults/vault1/ssn?limit=26");
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(reply.message.find("maximum of 25"), std::string::npos) << reply.message;
}

TEST_F(ReadApiTest, MaxReadLimitAndEmptyReadStatusAreConfigurable) {
  VaultEmulatorConfig config;
  config.max_read_limit = 100;
  config.empty_read_status = 200;
  Start(config);
  Insert({{"a", "ta"}});
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/ssn?limit=100").status, 200);
  const Reply over = Call("GET", "/v1/vaults/vault1/ssn?limit=101");
  EXPECT_EQ(over.status, 400);
  EXPECT_NE(over.message.find("maximum of 100"), std::string::npos);
  const Reply empty = Call("GET", "/v1/vaults/vault1/ssn?offset=1");
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(empty.body, R"({"records":[]})");
}

TEST_F(ReadApiTest, EmptyReadIs404ByDefaultAndUnknownTableIs404) {
  Start();
  Insert({{"a", "ta"}});
  const Reply empty = Call("GET", "/v1/vaults/vault1/ssn?offset=1");
  EXPECT_EQ(empty.status, 404);
  EXPECT_NE(empty.message.find("No Records Found"), std::string::npos);
  const Reply unknown = Call("GET", "/v1/vaults/vault1/cards");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.message.find("Table name cards is invalid"), std::string::npos);
  EXPECT_EQ(Call("GET", "/v1/vaults/vault2/ssn").status, 404);
}

TEST_F(ReadApiTest, SelectsBySkyflowIdsRepeatedOrCommaSeparated) {
  Start();
  const std::vector<std::string> ids = Insert({{"a", "ta"}, {"b", "tb"}, {"c", "tc"}});
  Reply reply = Call("GET", "/v1/vaults/vault1/ssn?skyflow_ids=" + ids[2] + "," + ids[0] +
                                "&skyflow_ids=" + ids[1] + "&redaction=PLAIN_TEXT");
  ASSERT_EQ(reply.status, 200) << reply.body;
  std::vector<ReadRecord> records = Records(reply.body);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields.at("ssn"), "c");
  EXPECT_EQ(records[1].fields.at("ssn"), "a");
  EXPECT_EQ(records[2].fields.at("ssn"), "b");

  // Unknown and malformed ids are left out.
  reply = Call("GET", "/v1/vaults/vault1/ssn?skyflow_ids=nope&skyflow_ids=" + ids[1] +
                          "&redaction=PLAIN_TEXT");
  records = Records(reply.body);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields.at("ssn"), "b");
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/ssn?skyflow_ids=nope").status, 404);
}

TEST_F(ReadApiTest, LooksUpByColumnValueWithDecodedQueryValues) {
  Start();
  Insert({{"x y+z", "t1"}, {"b", "t2"}, {"1%", "t3"}});
  // '+' is a space, %2B a plus, %25 a percent sign.
  Reply reply = Call("GET",
                     "/v1/vaults/vault1/ssn?column_name=ssn&column_values=x+y%2Bz"
                     "&column_values=1%25&redaction=PLAIN_TEXT");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const std::vector<ReadRecord> records = Records(reply.body);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields.at("ssn"), "x y+z");
  EXPECT_EQ(records[1].fields.at("ssn"), "1%");

  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/ssn?column_name=ssn&column_values=zzz").status, 404);
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/ssn?column_name=dob&column_values=b").status, 400);
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/ssn?column_name=ssn").status, 400);
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/ssn?column_values=b").status, 400);
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/ssn?column_values=%zz&column_name=ssn").status, 400);
}

TEST_F(ReadApiTest, TokenizationRedactionAndFields) {
  Start();
  Call("POST", "/v1/vaults/vault1/people",
       R"({"byot":"ENABLE","records":[{"fields":{"name":"Émilie Durand","ssn":"123-45-6789"},
           "tokens":{"name":"tn","ssn":"ts"}}]})");
  Reply reply = Call("GET", "/v1/vaults/vault1/people?tokenization=true");
  ASSERT_EQ(reply.status, 200) << reply.body;
  std::vector<ReadRecord> records = Records(reply.body);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].tokens, (std::map<std::string, std::string>{{"name", "tn"}, {"ssn", "ts"}}));
  EXPECT_EQ(records[0].fields.at("ssn"), "*******6789");  // DEFAULT masks

  reply = Call("GET", "/v1/vaults/vault1/people?redaction=MASKED&fields=name");
  records = Records(reply.body);
  EXPECT_EQ(records[0].fields.size(), 2u);  // skyflow_id and name
  EXPECT_EQ(records[0].fields.at("name"), "*********rand");

  reply = Call("GET", "/v1/vaults/vault1/people?redaction=REDACTED");
  EXPECT_EQ(Records(reply.body)[0].fields.at("ssn"), "*REDACTED*");

  reply = Call("GET", "/v1/vaults/vault1/people?redaction=PLAIN_TEXT&fields=ssn,name");
  EXPECT_EQ(Records(reply.body)[0].fields.at("name"), "Émilie Durand");

  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/people?tokenization=true&redaction=DEFAULT").status,
            200);
  Reply refused = Call("GET", "/v1/vaults/vault1/people?tokenization=true&redaction=PLAIN_TEXT");
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.message.find("redaction cannot be applied"), std::string::npos);
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/people?fields=dob").status, 400);
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/people?redaction=CLEAR").status, 400);
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/people?colour=blue").status, 400);
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/people?tokenization=yes").status, 400);
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/people?order_by=RANDOM").status, 400);
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/people?limit=0").status, 400);
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/people?offset=-1").status, 400);
}

TEST_F(ReadApiTest, DeletesByIdsByStarAndOneByOne) {
  Start();
  const std::vector<std::string> ids = Insert({{"a", "ta"}, {"b", "tb"}, {"c", "tc"}, {"d", "td"}});
  Reply reply = Call("DELETE", "/v1/vaults/vault1/ssn",
                     R"({"skyflow_ids":[")" + ids[0] + R"(","unknown",")" + ids[2] + R"("]})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.body, R"({"RecordIDResponse":[")" + ids[0] + R"(",")" + ids[2] + R"("]})");
  EXPECT_EQ(emulator_->store().Stats()[0].stats.records, 2u);

  reply = Call("DELETE", "/v1/vaults/vault1/ssn/" + ids[1]);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.body, R"({"skyflow_id":")" + ids[1] + R"(","deleted":true})");
  EXPECT_EQ(Call("DELETE", "/v1/vaults/vault1/ssn/" + ids[1]).status, 404);
  EXPECT_EQ(Call("DELETE", "/v1/vaults/vault1/cards/" + ids[1]).status, 404);

  reply = Call("DELETE", "/v1/vaults/vault1/ssn", R"({"skyflow_ids":["*"]})");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, R"({"RecordIDResponse":["*"]})");
  EXPECT_EQ(emulator_->store().Stats()[0].stats.records, 0u);

  EXPECT_EQ(Call("DELETE", "/v1/vaults/vault1/ssn", R"({"skyflow_ids":["*","x"]})").status, 400);
  EXPECT_EQ(Call("DELETE", "/v1/vaults/vault1/ssn", R"({"skyflow_ids":[]})").status, 400);
  EXPECT_EQ(Call("DELETE", "/v1/vaults/vault1/ssn", R"({"ids":["x"]})").status, 400);
  EXPECT_EQ(Call("DELETE", "/v1/vaults/vault1/ssn", R"({"skyflow_ids":[1]})").status, 400);
  EXPECT_EQ(Call("DELETE", "/v1/vaults/vault1/ssn", "not json").status, 400);
  EXPECT_EQ(Call("DELETE", "/v1/vaults/vault1/cards", R"({"skyflow_ids":["*"]})").status, 404);
}

TEST_F(ReadApiTest, DetokenizesAcrossTablesWithPerTokenErrors) {
  Start();
  Insert({{"123-45-6789", "tok-ssn"}});
  Insert({{"4111", "tok-card"}}, "cards", "number");
  Reply reply = Call("POST", "/v1/vaults/vault1/detokenize",
                     R"({"detokenizationParameters":[{"token":"tok-card","redaction":"PLAIN_TEXT"},
                        {"token":"tok-ssn","redaction":"MASKED"}]})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.body, R"({"records":[{"token":"tok-card","valueType":"STRING","value":"4111"},)"
                        R"({"token":"tok-ssn","valueType":"STRING","value":"*******6789"}]})");

  const std::string mixed =
      R"({"detokenizationParameters":[{"token":"tok-ssn","redaction":"PLAIN_TEXT"},
          {"token":"missing"}],"continueOnError":true})";
  reply = Call("POST", "/v1/vaults/vault1/detokenize", mixed);
  EXPECT_EQ(reply.status, 207);
  EXPECT_EQ(reply.body,
            R"({"records":[{"token":"tok-ssn","valueType":"STRING","value":"123-45-6789"},)"
            R"({"token":"missing","valueType":"NONE","value":"","error":"Token not found"}]})");

  reply = Call("POST", "/v1/vaults/vault1/detokenize",
               R"({"detokenizationParameters":[{"token":"tok-ssn"},{"token":"missing"}]})");
  EXPECT_EQ(reply.status, 404);
  EXPECT_NE(reply.message.find("detokenizationParameters[1]"), std::string::npos);
  EXPECT_EQ(reply.message.find("missing"), std::string::npos);  // tokens are not echoed

  // Another vault holds nothing.
  EXPECT_EQ(Call("POST", "/v1/vaults/vault2/detokenize",
                 R"({"detokenizationParameters":[{"token":"tok-ssn"}]})")
                .status,
            404);
  EXPECT_EQ(
      Call("POST", "/v1/vaults/vault1/detokenize", R"({"detokenizationParameters":[]})").status,
      400);
  EXPECT_EQ(Call("POST", "/v1/vaults/vault1/detokenize",
                 R"({"detokenizationParameters":[{"token":"x","redaction":"NONE"}]})")
                .status,
            400);
  EXPECT_EQ(Call("POST", "/v1/vaults/vault1/detokenize",
                 R"({"detokenizationParameters":[{"redaction":"DEFAULT"}]})")
                .status,
            400);
}

TEST_F(ReadApiTest, ExportsPairsAsCsvAndJsonLines) {
  Start();
  Insert({{"plain", "t1"}, {"with,comma", "t\\\"q"}, {"two\\nlines", "t3"}});
  Reply reply = Call("GET", "/emulator/v1/export?vault=vault1&table=ssn&format=csv");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(reply.body,
            "value,token\r\nplain,t1\r\n\"with,comma\",\"t\"\"q\"\r\n\"two\nlines\",t3\r\n");

  reply = Call("GET", "/emulator/v1/export?vault=vault1&table=ssn&format=jsonl");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.content_type, "application/x-ndjson");
  EXPECT_EQ(reply.body,
            "{\"value\":\"plain\",\"token\":\"t1\"}\n"
            "{\"value\":\"with,comma\",\"token\":\"t\\\"q\"}\n"
            "{\"value\":\"two\\nlines\",\"token\":\"t3\"}\n");

  Call("POST", "/v1/vaults/vault1/people",
       R"({"byot":"ENABLE","records":[{"fields":{"name":"n","ssn":"s"},
           "tokens":{"name":"tn","ssn":"ts"}}]})");
  reply = Call("GET", "/emulator/v1/export?vault=vault1&table=people");  // csv by default
  EXPECT_EQ(reply.body, "column,value,token\r\nname,n,tn\r\nssn,s,ts\r\n");

  EXPECT_EQ(Call("GET", "/emulator/v1/export?vault=vault1&table=nope&format=csv").status, 404);
  EXPECT_EQ(Call("GET", "/emulator/v1/export?vault=vault1&table=ssn&format=xml").status, 400);
  EXPECT_EQ(Call("GET", "/emulator/v1/export?vault=vault1").status, 400);
}

TEST_F(ReadApiTest, ARefusedInsertAddsNoColumn) {
  Start();
  Insert({{"a", "ta"}});
  // A token conflict (409) on a request that also names a new column.
  Reply refused = Call("POST", "/v1/vaults/vault1/ssn",
                       R"({"byot":"ENABLE","records":[{"fields":{"ssn":"b","phantom":"p"},
                           "tokens":{"ssn":"ta","phantom":"tp"}}]})");
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(Call("GET", "/emulator/v1/export?vault=vault1&table=ssn").body,
            "value,token\r\na,ta\r\n");
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/ssn?fields=phantom").status, 400);

  // The same across tables (batch without continueOnError): the first
  // table's plan passes, the second's conflicts.
  Insert({{"c", "tc"}}, "cards", "number");
  refused = Call("POST", "/v1/vaults/vault1",
                 R"({"byot":"ENABLE","records":[
                     {"tableName":"ssn","method":"POST","fields":{"ssn":"d","ghost":"g"},
                      "tokens":{"ssn":"td","ghost":"tg"}},
                     {"tableName":"cards","method":"POST","fields":{"number":"e","spook":"s"},
                      "tokens":{"number":"tc","spook":"ts"}}]})");
  ASSERT_NE(refused.status, 200) << refused.body;
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/ssn?fields=ghost").status, 400);
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/cards?fields=spook").status, 400);
  EXPECT_EQ(Call("GET", "/emulator/v1/export?vault=vault1&table=ssn").body,
            "value,token\r\na,ta\r\n");
}

TEST_F(ReadApiTest, WithASchemaADeclaredTableNeverWrittenIsEmptyNotUnknown) {
  Result<VaultSchema> schema = VaultSchema::Parse(
      R"({"vaults":[{"id":"vault1","tables":[{"name":"ssn","columns":[{"name":"ssn"}]},
          {"name":"people","columns":[{"name":"name"},{"name":"ssn"}]}]}]})",
      "schema.json");
  ASSERT_TRUE(schema.ok()) << schema.status().message();
  VaultEmulatorConfig config;
  config.schema = std::make_shared<const VaultSchema>(std::move(schema.value()));
  Start(config);
  const std::string id = "6ba7b810-9dad-41d1-80b4-00c04fd430c8";

  // As a table whose records were all deleted.
  Reply reply = Call("GET", "/v1/vaults/vault1/ssn");
  EXPECT_EQ(reply.status, 404);
  EXPECT_NE(reply.message.find("No Records Found"), std::string::npos) << reply.body;
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/ssn?fields=ssn&skyflow_ids=" + id).status, 404);
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/ssn?fields=nope").status, 400);
  reply = Call("DELETE", "/v1/vaults/vault1/ssn", R"({"skyflow_ids":[")" + id + R"("]})");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, R"({"RecordIDResponse":[]})");
  reply = Call("DELETE", "/v1/vaults/vault1/ssn", R"({"skyflow_ids":["*"]})");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, R"({"RecordIDResponse":["*"]})");
  reply = Call("DELETE", "/v1/vaults/vault1/ssn/" + id);
  EXPECT_EQ(reply.status, 404);
  EXPECT_NE(reply.message.find("No Records Found"), std::string::npos) << reply.body;
  reply = Call("GET", "/emulator/v1/export?vault=vault1&table=ssn");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "value,token\r\n");
  reply = Call("GET", "/emulator/v1/export?vault=vault1&table=people&format=jsonl");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "");
  EXPECT_TRUE(emulator_->store().Stats().empty());  // none of this created a table

  // Undeclared: the table's message, or the vault's for an unknown vault.
  reply = Call("GET", "/v1/vaults/vault1/cards");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.message.rfind("Invalid request. Table name cards is invalid", 0), 0u)
      << reply.body;
  for (const Reply& unknown_vault :
       {Call("GET", "/v1/vaults/vault9/ssn"),
        Call("DELETE", "/v1/vaults/vault9/ssn", R"({"skyflow_ids":["*"]})"),
        Call("DELETE", "/v1/vaults/vault9/ssn/" + id),
        Call("GET", "/emulator/v1/export?vault=vault9&table=ssn")}) {
    EXPECT_EQ(unknown_vault.status, 404);
    EXPECT_EQ(unknown_vault.message.rfind("Invalid request. Vault ID vault9 is invalid", 0), 0u)
        << unknown_vault.body;
  }
}

TEST_F(ReadApiTest, DetokenizeRefusesATokenBehindDifferentValues) {
  Start();
  Insert({{"123-45-6789", "same"}});
  Insert({{"4111", "same"}}, "cards", "number");
  Insert({{"x", "other"}}, "cards", "number");
  Reply reply = Call("POST", "/v1/vaults/vault1/detokenize",
                     R"({"detokenizationParameters":[{"token":"same"}]})");
  EXPECT_EQ(reply.status, 409) << reply.body;
  EXPECT_NE(reply.message.find("detokenizationParameters[0]"), std::string::npos);
  // The first failing parameter is the one named: here an unknown token.
  reply = Call("POST", "/v1/vaults/vault1/detokenize",
               R"({"detokenizationParameters":[{"token":"nowhere"},{"token":"same"}]})");
  EXPECT_EQ(reply.status, 404) << reply.body;
  EXPECT_NE(reply.message.find("detokenizationParameters[0]"), std::string::npos) << reply.body;
  reply = Call("POST", "/v1/vaults/vault1/detokenize",
               R"({"detokenizationParameters":[{"token":"same"},
                   {"token":"other","redaction":"PLAIN_TEXT"}],"continueOnError":true})");
  EXPECT_EQ(reply.status, 207);
  EXPECT_EQ(reply.body,
            R"({"records":[{"token":"same","valueType":"NONE","value":"",)"
            R"("error":"Token is ambiguous: several fields hold it with different values"},)"
            R"({"token":"other","valueType":"STRING","value":"x"}]})");
  // Two columns of one table.
  Call(
      "POST", "/v1/vaults/vault1/people",
      R"({"byot":"ENABLE","records":[{"fields":{"a":"1","b":"2"},"tokens":{"a":"ab","b":"ab"}}]})");
  EXPECT_EQ(Call("POST", "/v1/vaults/vault1/detokenize",
                 R"({"detokenizationParameters":[{"token":"ab"}]})")
                .status,
            409);
}

TEST_F(ReadApiTest, VaultRoutesNeedTheBearerTokenAndAdminRoutesDoNot) {
  VaultEmulatorConfig config;
  config.bearer_tokens = {"secret-token"};
  Start(config);
  bearer_ = "secret-token";
  const std::vector<std::string> ids = Insert({{"a", "ta"}});
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/ssn").status, 401);
  EXPECT_EQ(Call("DELETE", "/v1/vaults/vault1/ssn", R"({"skyflow_ids":["*"]})").status, 401);
  EXPECT_EQ(Call("DELETE", "/v1/vaults/vault1/ssn/" + ids[0]).status, 401);
  EXPECT_EQ(Call("POST", "/v1/vaults/vault1/detokenize",
                 R"({"detokenizationParameters":[{"token":"ta"}]})")
                .status,
            401);
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/ssn", "", "secret-token").status, 200);
  EXPECT_EQ(Call("GET", "/emulator/v1/export?vault=vault1&table=ssn").status, 200);
  EXPECT_EQ(Call("PUT", "/v1/vaults/vault1/ssn").status, 405);
}

TEST_F(ReadApiTest, FaultsApplyToTheVaultRoutesButNotToTheExport) {
  Start();
  Insert({{"a", "ta"}});
  VaultEmulatorConfig config;
  config.faults.probability_503 = 1.0;
  // A second emulator whose every vault request fails; its store is empty,
  // so only the status tells which path answered.
  emulator_ = std::make_unique<VaultEmulator>(config);
  handler_ = emulator_->CreateHandler(0);
  EXPECT_EQ(Call("GET", "/v1/vaults/vault1/ssn").status, 503);
  EXPECT_EQ(Call("DELETE", "/v1/vaults/vault1/ssn", R"({"skyflow_ids":["*"]})").status, 503);
  EXPECT_EQ(Call("POST", "/v1/vaults/vault1/detokenize",
                 R"({"detokenizationParameters":[{"token":"ta"}]})")
                .status,
            503);
  EXPECT_EQ(Call("GET", "/emulator/v1/export?vault=vault1&table=ssn").status, 404);
}

TEST(QueryStringTest, DecodesPercentAndPlusAndKeepsRepeats) {
  std::vector<QueryParameter> parameters;
  ASSERT_TRUE(ParseQueryString("a=1&&b=x+y%2Fz&b=%C3%A9&flag", &parameters).ok());
  ASSERT_EQ(parameters.size(), 4u);
  EXPECT_EQ(parameters[1].name, "b");
  EXPECT_EQ(parameters[1].value, "x y/z");
  EXPECT_EQ(parameters[2].value, "é");
  EXPECT_EQ(parameters[3].name, "flag");
  EXPECT_EQ(parameters[3].value, "");
  EXPECT_FALSE(ParseQueryString("a=%4", &parameters).ok());
  EXPECT_FALSE(ParseQueryString("a=%g0", &parameters).ok());
  EXPECT_FALSE(ParseQueryString("a=%FF", &parameters).ok());  // not UTF-8
}

TEST(ReadRequestTest, RefusesCombinationsTheApiRefuses) {
  ReadRequest request;
  EXPECT_FALSE(ParseReadRequest("skyflow_ids=a&column_name=c&column_values=v", 25, &request).ok());
  EXPECT_FALSE(ParseReadRequest("tokenization=true&redaction=MASKED", 25, &request).ok());
  EXPECT_FALSE(
      ParseReadRequest("tokenization=true&column_name=c&column_values=v", 25, &request).ok());
  EXPECT_TRUE(ParseReadRequest("tokenization=true&skyflow_ids=a", 25, &request).ok());
  EXPECT_TRUE(ParseReadRequest("downloadURL=false&returnFileMetadata=false", 25, &request).ok());
  std::string many = "skyflow_ids=";
  for (int i = 0; i < 26; ++i)
    many += "x" + std::to_string(i) + ",";
  EXPECT_FALSE(ParseReadRequest(many, 25, &request).ok());
  ASSERT_TRUE(ParseReadRequest("", 10, &request).ok());
  EXPECT_EQ(request.limit, 10u);  // the default never exceeds the maximum
}

TEST(RedactionTest, MasksByCodePointKeepingTheLastFour) {
  EXPECT_EQ(Redacted(Redaction::kPlainText, "123-45-6789"), "123-45-6789");
  EXPECT_EQ(Redacted(Redaction::kMasked, "123-45-6789"), "*******6789");
  EXPECT_EQ(Redacted(Redaction::kDefault, "abcd"), "****");
  EXPECT_EQ(Redacted(Redaction::kMasked, "ééééé"), "*éééé");
  EXPECT_EQ(Redacted(Redaction::kRedacted, "x"), "*REDACTED*");
  EXPECT_EQ(Redacted(Redaction::kMasked, ""), "");
  EXPECT_FALSE(ParseRedaction("plain_text").has_value());
}

TEST(ReadOptionsTest, ParsesTheReadFlags) {
  Result<EmulatorOptions> options = ParseEmulatorOptions(
      {"--max-read-limit", "300", "--empty-read-status=200", "--token-format", "numeric16"});
  ASSERT_TRUE(options.ok()) << options.status().message();
  EXPECT_EQ(options->max_read_limit, 300u);
  EXPECT_EQ(options->empty_read_status, 200);
  EXPECT_EQ(options->token_format.kind(), TokenFormat::Kind::kNumeric16);
  EXPECT_EQ(ParseEmulatorOptions({}).value().max_read_limit, 25u);
  EXPECT_EQ(ParseEmulatorOptions({}).value().empty_read_status, 404);
  EXPECT_FALSE(ParseEmulatorOptions({"--max-read-limit", "0"}).ok());
  EXPECT_FALSE(ParseEmulatorOptions({"--empty-read-status", "204"}).ok());
  EXPECT_FALSE(ParseEmulatorOptions({"--token-format", "guid"}).ok());
  EXPECT_TRUE(ParseEmulatorOptions({"--token-format", "prefix:tok_"}).ok());
}

}  // namespace
}  // namespace skyflow::emulator
