// --schema files: what a valid one declares, and that every mistake is
// refused with the file, the JSON path (or line:column) and what to fix.
#include "emulator/store/vault_schema.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace skyflow::emulator {
namespace {

std::string ErrorOf(const std::string& json) {
  Result<VaultSchema> schema = VaultSchema::Parse(json, "schema.json");
  EXPECT_FALSE(schema.ok()) << json;
  return schema.ok() ? "" : schema.status().message();
}

TEST(VaultSchemaTest, DeclaresVaultsTablesAndUniqueColumns) {
  Result<VaultSchema> schema = VaultSchema::Parse(R"({"vaults":[
      {"id":"v1","tables":[
        {"name":"ssn","columns":[{"name":"ssn","unique":true},{"name":"note"}]},
        {"name":"name","columns":[{"name":"name","unique":false}]}]},
      {"id":"v2","tables":[{"name":"dob","columns":[{"name":"dob"}]}]}]})",
                                                  "schema.json");
  ASSERT_TRUE(schema.ok()) << schema.status().message();
  EXPECT_TRUE(schema->HasVault("v1"));
  EXPECT_TRUE(schema->HasVault("v2"));
  EXPECT_FALSE(schema->HasVault("V1"));
  const TableSchema* ssn = schema->FindTable("v1", "ssn");
  ASSERT_NE(ssn, nullptr);
  ASSERT_EQ(ssn->columns.size(), 2u);
  EXPECT_TRUE(ssn->FindColumn("ssn")->unique);
  EXPECT_FALSE(ssn->FindColumn("note")->unique);
  EXPECT_EQ(ssn->FindColumn("dob"), nullptr);
  EXPECT_EQ(ssn->ColumnList(), "ssn, note");
  EXPECT_FALSE(schema->FindTable("v1", "name")->columns[0].unique);
  EXPECT_EQ(schema->FindTable("v2", "ssn"), nullptr);
  EXPECT_EQ(schema->FindTable("v3", "ssn"), nullptr);
}

TEST(VaultSchemaTest, ErrorsNameTheJsonPath) {
  EXPECT_EQ(ErrorOf(R"({"vaults":[{"id":"v1","tables":[{"name":"t","columns":[{"name":"c",
                       "unique":"yes"}]}]}]})"),
            "schema.json: vaults[0].tables[0].columns[0].unique must be true or false");
  EXPECT_EQ(ErrorOf(R"({"vaults":[{"id":"v1","tables":[{"name":"t","columns":[{"nam":"c"}]}]}]})"),
            "schema.json: vaults[0].tables[0].columns[0].nam is not a schema key; expected "
            "\"name\", \"unique\"");
  EXPECT_EQ(ErrorOf(R"({"vaults":[{"id":"v1","tables":[{"columns":[{"name":"c"}]}]}]})"),
            "schema.json: vaults[0].tables[0] has no \"name\"");
  EXPECT_EQ(ErrorOf(R"({"vaults":[{"id":"v1","tables":[{"name":"t","columns":[]}]}]})"),
            "schema.json: vaults[0].tables[0].columns is empty; a table needs at least one column");
  EXPECT_EQ(ErrorOf(R"({"vaults":[{"id":"v1","tables":{}}]})"),
            "schema.json: vaults[0].tables must be an array of table objects");
  EXPECT_EQ(ErrorOf(R"({"vaults":[{"id":"a/b","tables":[]}]})"),
            "schema.json: vaults[0].id must not contain '/' (it is a segment of the request's "
            "URL path)");
  EXPECT_EQ(ErrorOf(R"({"vaults":[{"id":"","tables":[]}]})"),
            "schema.json: vaults[0].id must not be empty");
  EXPECT_EQ(ErrorOf(R"({"vaults":[{"id":"v","tables":[]}],"vaults":[]})"),
            "schema.json: vaults appears twice");
  EXPECT_EQ(ErrorOf(R"({"vaults":[]})"),
            "schema.json: vaults is empty; declare at least one vault");
  EXPECT_EQ(ErrorOf(R"([])"), "schema.json: the top level must be an object");
  EXPECT_EQ(ErrorOf(R"({})"), "schema.json: the top level has no \"vaults\"");
}

TEST(VaultSchemaTest, RefusesRepeatedNames) {
  EXPECT_EQ(ErrorOf(R"({"vaults":[{"id":"v","tables":[{"name":"t","columns":[{"name":"c"},
                       {"name":"c","unique":true}]}]}]})"),
            "schema.json: vaults[0].tables[0].columns[1].name repeats column \"c\" of table \"t\"");
  EXPECT_EQ(ErrorOf(R"({"vaults":[{"id":"v","tables":[{"name":"t","columns":[{"name":"c"}]},
                       {"name":"t","columns":[{"name":"d"}]}]}]})"),
            "schema.json: vaults[0].tables[1].name repeats table \"t\" of its vault");
  EXPECT_EQ(ErrorOf(R"({"vaults":[{"id":"v","tables":[]},{"id":"v","tables":[]}]})"),
            "schema.json: vaults[1].id repeats vault \"v\"");
}

TEST(VaultSchemaTest, SyntaxErrorsSayLineAndColumn) {
  EXPECT_EQ(ErrorOf("{\"vaults\":[\n  {\"id\":\"v\",}\n]}"),
            "schema.json:2:12: invalid JSON: trailing comma before '}': JSON does not allow one");
  EXPECT_EQ(ErrorOf("  "),
            "schema.json:1:1: invalid JSON: the file is empty: expected "
            "{\"vaults\":[{\"id\":...,\"tables\":[...]}]}");
  EXPECT_EQ(ErrorOf("{\"vaults\":\"\xff\"}")
                .rfind("schema.json:1:12: invalid JSON: the file is "
                       "not valid UTF-8",
                       0),
            0u);
}

TEST(VaultSchemaTest, LoadsAFileAndSaysWhenItCannot) {
  const std::string path =
      ::testing::TempDir() + "vault_schema_test_" + std::to_string(::getpid()) + ".json";
  std::ofstream(path)
      << R"({"vaults":[{"id":"v","tables":[{"name":"t","columns":[{"name":"c"}]}]}]})";
  Result<VaultSchema> schema = VaultSchema::Load(path);
  std::remove(path.c_str());
  ASSERT_TRUE(schema.ok()) << schema.status().message();
  EXPECT_NE(schema->FindTable("v", "t"), nullptr);

  Result<VaultSchema> missing = VaultSchema::Load(path);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "--schema " + path + ": cannot open the file");
}

}  // namespace
}  // namespace skyflow::emulator
