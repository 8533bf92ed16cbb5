#include "snowflake/result_rows.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

namespace skyflow::snowflake {
namespace {

using std::optional;
using std::string_view;

// The shape of the SQL API specification's example result set.
constexpr char kResultSet[] = R"({"resultSetMetaData": {
   "numRows": 56090, "format": "jsonv2",
   "rowType": [{"name":"FULL_NAME","type":"text","nullable":true,"length":16777216,
                "precision":null,"scale":null,"byteLength":16777216,"database":"",
                "schema":"","table":"","collation":null},
               {"name":"TOKEN","type":"text","nullable":false}],
   "partitionInfo": [{"rowCount":3,"uncompressedSize":14384873},
                     {"rowCount":56087,"uncompressedSize":43748274,"compressedSize":746323}]},
 "data": [["JOHN SMITH","tok_1"], ["JANE DOE", null], ["", "tok_3"]],
 "code": "090001", "sqlState": "00000", "message": "Statement executed successfully.",
 "statementHandle": "01b2-H", "statementStatusUrl": "/api/v2/statements/01b2-H",
 "createdOn": 1620151693299})";

TEST(ResultRowsTest, ParsesTheResultSetAndItsMetadata) {
  Result<StatementResult> result = ParseResultSet(kResultSet, "the result");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->handle, "01b2-H");
  EXPECT_EQ(result->code, "090001");
  EXPECT_EQ(result->sql_state, "00000");
  EXPECT_EQ(result->message, "Statement executed successfully.");
  EXPECT_EQ(result->metadata.num_rows, 56090u);
  EXPECT_EQ(result->metadata.format, "jsonv2");
  ASSERT_EQ(result->metadata.row_type.size(), 2u);
  EXPECT_EQ(result->metadata.row_type[0].name, "FULL_NAME");
  EXPECT_EQ(result->metadata.row_type[0].type, "text");
  EXPECT_TRUE(result->metadata.row_type[0].nullable);
  EXPECT_FALSE(result->metadata.row_type[1].nullable);
  EXPECT_EQ(result->metadata.partition_rows, (std::vector<uint64_t>{3, 56087}));
  EXPECT_EQ(result->metadata.partition_count(), 2u);

  const RowBlock& rows = result->first_partition;
  ASSERT_EQ(rows.row_count(), 3u);
  ASSERT_EQ(rows.column_count(), 2u);
  EXPECT_EQ(rows.Cell(0, 0), optional<string_view>("JOHN SMITH"));
  EXPECT_EQ(rows.Cell(0, 1), optional<string_view>("tok_1"));
  EXPECT_EQ(rows.Cell(1, 0), optional<string_view>("JANE DOE"));
  EXPECT_EQ(rows.Cell(1, 1), std::nullopt);
  // An empty string is a value, not a NULL.
  EXPECT_EQ(rows.Cell(2, 0), optional<string_view>(""));
  EXPECT_EQ(rows.Cell(2, 1), optional<string_view>("tok_3"));
}

TEST(ResultRowsTest, AResultWithoutPartitionInfoIsOnePartition) {
  Result<StatementResult> result = ParseResultSet(
      R"({"resultSetMetaData":{"numRows":1,"rowType":[{"name":"A"}]},"data":[["x"]]})", "r");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->metadata.partition_rows.empty());
  EXPECT_EQ(result->metadata.partition_count(), 1u);
  EXPECT_EQ(result->first_partition.row_count(), 1u);
}

TEST(ResultRowsTest, ParsesAPartitionBody) {
  Result<RowBlock> rows =
      ParsePartition(R"({"data":[["a","1"],[null,null],["","2"]]})", "partition 4 of statement H");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->row_count(), 3u);
  EXPECT_EQ(rows->Cell(0, 0), optional<string_view>("a"));
  EXPECT_EQ(rows->Cell(1, 0), std::nullopt);
  EXPECT_EQ(rows->Cell(1, 1), std::nullopt);
  EXPECT_EQ(rows->Cell(2, 0), optional<string_view>(""));
  EXPECT_EQ(rows->Cell(2, 1), optional<string_view>("2"));
}

TEST(ResultRowsTest, AnEmptyPartitionHasNoRows) {
  Result<RowBlock> rows = ParsePartition(R"({"data":[]})", "partition 1");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->row_count(), 0u);
  EXPECT_TRUE(rows->empty());
}

TEST(ResultRowsTest, DecodesEscapesAndUnicode) {
  // \u00e9 is é, \ud83d\ude00 a surrogate pair (U+1F600), raw UTF-8 passes.
  Result<RowBlock> rows = ParsePartition(
      R"({"data":[["caf\u00e9","\ud83d\ude00"],["quote \" back \\ tab \t","Zo\u00eb \u65e5"],)"
      "[\"\xE6\x97\xA5\xE6\x9C\xAC\",\"a\\/b\"]]}",
      "p");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->Cell(0, 0), optional<string_view>("caf\xC3\xA9"));
  EXPECT_EQ(rows->Cell(0, 1), optional<string_view>("\xF0\x9F\x98\x80"));
  EXPECT_EQ(rows->Cell(1, 0), optional<string_view>("quote \" back \\ tab \t"));
  EXPECT_EQ(rows->Cell(1, 1), optional<string_view>("Zo\xC3\xAB \xE6\x97\xA5"));
  EXPECT_EQ(rows->Cell(2, 0), optional<string_view>("\xE6\x97\xA5\xE6\x9C\xAC"));
  EXPECT_EQ(rows->Cell(2, 1), optional<string_view>("a/b"));
}

TEST(ResultRowsTest, CellsSurviveMovingTheBlock) {
  Result<RowBlock> parsed = ParsePartition(R"({"data":[["v","t"]]})", "p");
  ASSERT_TRUE(parsed.ok());
  RowBlock moved = std::move(parsed).value();
  EXPECT_EQ(moved.Cell(0, 1), optional<string_view>("t"));
}

void ExpectParseError(std::string body, std::string_view expected_fragment) {
  Result<RowBlock> rows = ParsePartition(std::move(body), "partition 7 of statement H");
  ASSERT_FALSE(rows.ok()) << "parsed although malformed";
  EXPECT_EQ(rows.status().code(), StatusCode::kParseError);
  EXPECT_NE(rows.status().message().find("partition 7 of statement H"), std::string::npos)
      << rows.status().message();
  EXPECT_NE(rows.status().message().find(expected_fragment), std::string::npos)
      << rows.status().message();
}

TEST(ResultRowsTest, MalformedBodiesAreParseErrorsNamingThePartition) {
  ExpectParseError(R"({"data":[["a","b"],["c")", "is not JSON");
  ExpectParseError("<html>502 Bad Gateway</html>", "is not JSON");
  ExpectParseError("", "is not JSON");
  ExpectParseError(R"(["a","b"])", "is not a JSON object");
  ExpectParseError(R"({"rows":[]})", "no \"data\" array");
  ExpectParseError(R"({"data":{"a":1}})", "\"data\" is not an array of rows");
  ExpectParseError(R"({"data":[["a"],"b"]})", "row 1 is not an array of cells");
  ExpectParseError(R"({"data":[["a",12]]})", "row 0 cell 1 is neither a string nor null: 12");
  ExpectParseError(R"({"data":[["a",true]]})", "row 0 cell 1 is neither a string nor null");
  ExpectParseError(R"({"data":[["a","b"],["c"]]})", "row 1 has 1 cells where the rows before");
  ExpectParseError(R"({"data":[[]]})", "row 0 has no cells");
  ExpectParseError("{\"data\":[[\"\xFF\"]]}", "is not JSON");   // not UTF-8
  ExpectParseError(R"({"data":[["\ud800"]]})", "is not JSON");  // lone surrogate
}

TEST(ResultRowsTest, MalformedMetadataIsAParseError) {
  Result<StatementResult> result = ParseResultSet(
      R"({"resultSetMetaData":{"partitionInfo":[{"uncompressedSize":1}]},"data":[]})",
      "the result of statement H");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kParseError);
  EXPECT_NE(result.status().message().find("the result of statement H: \"partitionInfo\" entry 0"),
            std::string::npos)
      << result.status().message();

  result = ParseResultSet(R"({"resultSetMetaData":{"partitionInfo":7},"data":[]})", "r");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("\"partitionInfo\" is not an array"), std::string::npos);

  result = ParseResultSet(R"({"resultSetMetaData":{},"code":"090001"})", "r");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("no \"data\" array"), std::string::npos);
}

TEST(ResultRowsTest, StatusBodiesGiveTheirFieldsAndToleranceForOthers) {
  StatusBody status = ParseStatusBody(
      R"({"code":"002003","message":"SQL compilation error: Object 'X' does not exist.",)"
      R"("sqlState":"42S02","statementHandle":"H2"})");
  EXPECT_EQ(status.code, "002003");
  EXPECT_EQ(status.message, "SQL compilation error: Object 'X' does not exist.");
  EXPECT_EQ(status.sql_state, "42S02");
  EXPECT_EQ(status.handle, "H2");

  status = ParseStatusBody("<html>bad gateway</html>");
  EXPECT_TRUE(status.code.empty());
  EXPECT_TRUE(status.message.empty());
  status = ParseStatusBody(R"({"code":390144})");  // not a string: left empty
  EXPECT_TRUE(status.code.empty());
}

}  // namespace
}  // namespace skyflow::snowflake
