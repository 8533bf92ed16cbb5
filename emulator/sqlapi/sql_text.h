// SqlText: the little lexical knowledge of SQL the emulator needs before it
// hands a statement to PostgreSQL: which databases its qualified names
// name, and where its `?` bind placeholders are.
//
// The scan skips what is not code: string literals ('...', E'...' with
// backslash escapes), quoted identifiers ("..."), dollar-quoted bodies
// ($$...$$, $tag$...$tag$), line comments (--) and nested block comments.
// A qualified name is identifiers joined by dots (spaces allowed around
// them); one of three parts is DATABASE.SCHEMA.OBJECT and one of four
// DATABASE.SCHEMA.TABLE.COLUMN, so their first part is taken as a database.
// (A SCHEMA.TABLE.COLUMN reference has three parts too: the check can only
// be lexical.) Stateless; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skyflow::emulator::sqlapi {

struct NamedDatabase {
  std::string folded;   // as PostgreSQL resolves it: unquoted lower-cased
  std::string written;  // as the statement spells it
};

// The distinct databases the statement's qualified names name, in order of
// first appearance.
std::vector<NamedDatabase> DatabasesNamed(std::string_view sql);

// A message for a statement naming more than one database, which PostgreSQL
// cannot run (it resolves names only inside the connected database);
// nullopt otherwise.
std::optional<std::string> CrossDatabaseProblem(std::string_view sql);

// The statement with each `?` placeholder replaced by $1, $2... (what
// PostgreSQL's extended protocol numbers), and their count.
std::string NumberPlaceholders(std::string_view sql, int* count);

}  // namespace skyflow::emulator::sqlapi
