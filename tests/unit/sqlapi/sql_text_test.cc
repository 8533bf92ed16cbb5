#include "emulator/sqlapi/sql_text.h"

#include <gtest/gtest.h>

namespace skyflow::emulator::sqlapi {
namespace {

std::vector<std::string> Folded(std::string_view sql) {
  std::vector<std::string> names;
  for (const NamedDatabase& database : DatabasesNamed(sql))
    names.push_back(database.folded);
  return names;
}

TEST(DatabasesNamedTest, TakesTheFirstPartOfThreeAndFourPartNames) {
  EXPECT_EQ(Folded("SELECT SSN, D01.SKYFLOW_POC.SKFL_SSN_DETOK(SSN) FROM "
                   "D01.SKYFLOW_POC.MBR m WHERE d01 . skyflow_poc . mbr.ssn IS NOT NULL"),
            std::vector<std::string>{"d01"});
  EXPECT_EQ(Folded("SELECT a FROM s.t JOIN u ON t.x = u.y"), std::vector<std::string>{});
}

TEST(DatabasesNamedTest, FoldsUnquotedNamesAndKeepsQuotedOnes) {
  const std::vector<NamedDatabase> databases =
      DatabasesNamed(R"(SELECT * FROM "My""Db".s.t, mydb.s.u, MYDB.s.v)");
  ASSERT_EQ(databases.size(), 2U);
  EXPECT_EQ(databases[0].folded, "My\"Db");
  EXPECT_EQ(databases[0].written, R"("My""Db")");
  EXPECT_EQ(databases[1].folded, "mydb");
}

TEST(DatabasesNamedTest, IgnoresLiteralsCommentsAndNumbers) {
  EXPECT_EQ(Folded("SELECT 'A.B.C', E'x\\'Y.Z.W', $$P.Q.R$$, $f$ S.T.U $f$, 1.5, 1.2.3 "
                   "-- L.M.N\n /* O.P.Q /* nested */ R.S.T */ FROM x"),
            std::vector<std::string>{});
}

TEST(CrossDatabaseProblemTest, NamesTheDatabasesOfAStatementThatNamesTwo) {
  EXPECT_FALSE(CrossDatabaseProblem("SELECT * FROM FOO.S.T WHERE FOO.S.F(x) > 0"));
  const std::optional<std::string> problem = CrossDatabaseProblem("SELECT BAR.S.F(x) FROM FOO.S.T");
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->rfind("cross-database statement: PostgreSQL cannot", 0), 0U) << *problem;
  EXPECT_NE(problem->find("BAR, FOO"), std::string::npos) << *problem;
}

TEST(NumberPlaceholdersTest, NumbersQuestionMarksOutsideLiterals) {
  int count = 0;
  EXPECT_EQ(NumberPlaceholders("SELECT ?, '?', \"?\", x FROM t WHERE a = ? -- ?\n", &count),
            "SELECT $1, '?', \"?\", x FROM t WHERE a = $2 -- ?\n");
  EXPECT_EQ(count, 2);
  EXPECT_EQ(NumberPlaceholders("SELECT 1", &count), "SELECT 1");
  EXPECT_EQ(count, 0);
}

}  // namespace
}  // namespace skyflow::emulator::sqlapi
