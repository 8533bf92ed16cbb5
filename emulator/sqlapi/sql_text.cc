#include "emulator/sqlapi/sql_text.h"

#include <cstddef>

#include "util/ascii.h"

namespace skyflow::emulator::sqlapi {
namespace {

bool IsIdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool IsIdentifierPart(char c) {
  return IsIdentifierStart(c) || (c >= '0' && c <= '9') || c == '$';
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

enum class TokenKind { kIdentifier, kDot, kPlaceholder, kOther };

struct SqlToken {
  TokenKind kind;
  size_t begin;
  size_t end;
  std::string folded;  // identifiers only
};

// The end of a '...' literal starting at `begin` (its opening quote);
// `backslashes` for E'...' strings.
size_t EndOfQuoted(std::string_view sql, size_t begin, char quote, bool backslashes) {
  size_t i = begin + 1;
  while (i < sql.size()) {
    if (backslashes && sql[i] == '\\') {
      i += 2;
      continue;
    }
    if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        i += 2;  // a doubled quote stands for itself
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return sql.size();
}

// "$tag$" at `begin`, or empty when the '$' opens no dollar quote ($1).
std::string_view DollarTag(std::string_view sql, size_t begin) {
  size_t i = begin + 1;
  if (i < sql.size() && sql[i] != '$' && !IsIdentifierStart(sql[i])) return {};
  while (i < sql.size() && sql[i] != '$') {
    if (!IsIdentifierPart(sql[i]) || sql[i] == '$') return {};
    ++i;
  }
  if (i >= sql.size()) return {};
  return sql.substr(begin, i - begin + 1);
}

// The quoted identifier's name, doubled quotes undone.
std::string Unquote(std::string_view quoted) {
  std::string name;
  for (size_t i = 1; i + 1 < quoted.size(); ++i) {
    name.push_back(quoted[i]);
    if (quoted[i] == '"') ++i;
  }
  return name;
}

std::vector<SqlToken> Tokenize(std::string_view sql) {
  std::vector<SqlToken> tokens;
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    if (IsSpace(c)) {
      ++i;
    } else if (c == '-' && next == '-') {
      while (i < sql.size() && sql[i] != '\n')
        ++i;
    } else if (c == '/' && next == '*') {
      int depth = 1;
      i += 2;
      while (i < sql.size() && depth > 0) {
        if (sql[i] == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
          ++depth;
          i += 2;
        } else if (sql[i] == '*' && i + 1 < sql.size() && sql[i + 1] == '/') {
          --depth;
          i += 2;
        } else {
          ++i;
        }
      }
    } else if (c == '\'') {
      const size_t end = EndOfQuoted(sql, i, '\'', false);
      tokens.push_back({TokenKind::kOther, i, end, {}});
      i = end;
    } else if ((c == 'E' || c == 'e') && next == '\'') {
      const size_t end = EndOfQuoted(sql, i + 1, '\'', true);
      tokens.push_back({TokenKind::kOther, i, end, {}});
      i = end;
    } else if (c == '"') {
      const size_t end = EndOfQuoted(sql, i, '"', false);
      tokens.push_back({TokenKind::kIdentifier, i, end, Unquote(sql.substr(i, end - i))});
      i = end;
    } else if (c == '$' && !DollarTag(sql, i).empty()) {
      const std::string_view tag = DollarTag(sql, i);
      const size_t close = sql.find(tag, i + tag.size());
      const size_t end = close == std::string_view::npos ? sql.size() : close + tag.size();
      tokens.push_back({TokenKind::kOther, i, end, {}});
      i = end;
    } else if (IsIdentifierStart(c)) {
      size_t end = i + 1;
      while (end < sql.size() && IsIdentifierPart(sql[end]))
        ++end;
      tokens.push_back({TokenKind::kIdentifier, i, end, AsciiLowered(sql.substr(i, end - i))});
      i = end;
    } else if (c >= '0' && c <= '9') {
      // A number, dots and exponent included ("1.5e3"), so that it is not
      // taken for part of a name.
      size_t end = i + 1;
      while (end < sql.size() && (IsIdentifierPart(sql[end]) || sql[end] == '.'))
        ++end;
      tokens.push_back({TokenKind::kOther, i, end, {}});
      i = end;
    } else if (c == '.') {
      tokens.push_back({TokenKind::kDot, i, i + 1, {}});
      ++i;
    } else if (c == '?') {
      tokens.push_back({TokenKind::kPlaceholder, i, i + 1, {}});
      ++i;
    } else {
      tokens.push_back({TokenKind::kOther, i, i + 1, {}});
      ++i;
    }
  }
  return tokens;
}

}  // namespace

std::vector<NamedDatabase> DatabasesNamed(std::string_view sql) {
  const std::vector<SqlToken> tokens = Tokenize(sql);
  std::vector<NamedDatabase> databases;
  size_t i = 0;
  while (i < tokens.size()) {
    if (tokens[i].kind != TokenKind::kIdentifier) {
      ++i;
      continue;
    }
    size_t parts = 1;
    size_t j = i + 1;
    while (j + 1 < tokens.size() && tokens[j].kind == TokenKind::kDot &&
           tokens[j + 1].kind == TokenKind::kIdentifier) {
      ++parts;
      j += 2;
    }
    if (parts >= 3) {
      const SqlToken& first = tokens[i];
      bool seen = false;
      for (const NamedDatabase& known : databases)
        seen = seen || known.folded == first.folded;
      if (!seen) {
        databases.push_back(
            {first.folded, std::string(sql.substr(first.begin, first.end - first.begin))});
      }
    }
    i = j;
  }
  return databases;
}

std::optional<std::string> CrossDatabaseProblem(std::string_view sql) {
  const std::vector<NamedDatabase> databases = DatabasesNamed(sql);
  if (databases.size() < 2) return std::nullopt;
  std::string names;
  for (const NamedDatabase& database : databases) {
    if (!names.empty()) names += ", ";
    names += database.written;
  }
  return "cross-database statement: PostgreSQL cannot resolve names in more than one database, "
         "and this statement names " +
         names +
         ". The SQL API emulator runs statements on one PostgreSQL database: in tests, create "
         "the tables and functions (the SKFL_*_DETOK UDFs too) in the same database and name "
         "that database in every three-part name.";
}

std::string NumberPlaceholders(std::string_view sql, int* count) {
  *count = 0;
  std::string numbered;
  size_t copied = 0;
  for (const SqlToken& token : Tokenize(sql)) {
    if (token.kind != TokenKind::kPlaceholder) continue;
    numbered.append(sql.substr(copied, token.begin - copied));
    numbered += "$" + std::to_string(++*count);
    copied = token.end;
  }
  numbered.append(sql.substr(copied));
  return numbered;
}

}  // namespace skyflow::emulator::sqlapi
