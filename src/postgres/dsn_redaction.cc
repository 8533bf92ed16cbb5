#include "postgres/dsn_redaction.h"

#include <libpq-fe.h>

#include <memory>

#include "util/ascii.h"

namespace skyflow::postgres {
namespace {

// Nested connection strings are expanded at most this deep; libpq itself
// expands only one level, so anything deeper is only text.
constexpr int kMaxNesting = 4;

struct OptionsDeleter {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};
using Options = std::unique_ptr<PQconninfoOption, OptionsDeleter>;

// libpq recognises the URI prefixes in lower case only.
bool IsUri(std::string_view text) {
  return text.starts_with("postgres://") || text.starts_with("postgresql://");
}

// libpq treats a dbname holding '=' or starting as a URI as a connection
// string of its own.
bool LooksLikeConnectionString(std::string_view text) {
  return IsUri(text) || text.find('=') != std::string_view::npos;
}

// Whether `dsn` could hold a password anywhere, so that a parse error
// quoting part of it must not be shown.
bool MayHoldPassword(std::string_view dsn) {
  return ContainsIgnoreCase(dsn, "pass") || dsn.find('@') != std::string_view::npos;
}

// Single-quoted as libpq reads it when the value is empty or holds a space,
// a quote or a backslash.
std::string Quoted(std::string_view value) {
  if (!value.empty() && value.find_first_of(" \t\r\n\f\v'\\") == std::string_view::npos) {
    return std::string(value);
  }
  std::string quoted = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '\'';
  return quoted;
}

Result<Options> Parse(std::string_view dsn) {
  char* error = nullptr;
  const std::string text(dsn);
  Options options(PQconninfoParse(text.c_str(), &error));
  if (options != nullptr) return options;
  std::string reason;
  if (error != nullptr) {
    reason = error;
    PQfreemem(error);
  }
  while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) {
    reason.pop_back();
  }
  std::string message =
      "the PostgreSQL connection string cannot be parsed; write it as keyword=value pairs "
      "(host=... port=... dbname=... user=...) or as a postgres://user@host:port/dbname URI";
  if (!reason.empty() && !MayHoldPassword(dsn)) {
    message += " (libpq: " + reason + ")";
  }
  return Status::InvalidArgument(message);
}

Result<std::string> Redacted(std::string_view dsn, int depth) {
  Result<Options> options = Parse(dsn);
  if (!options.ok()) return options.status();
  std::string out;
  for (const PQconninfoOption* option = options->get(); option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    const std::string_view keyword = option->keyword;
    if (keyword == "password") continue;
    std::string value = option->val;
    if (keyword == "dbname" && depth < kMaxNesting && LooksLikeConnectionString(value)) {
      Result<std::string> nested = Redacted(value, depth + 1);
      if (!nested.ok()) return nested.status();
      value = std::move(nested).value();
    }
    if (!out.empty()) out += ' ';
    out += std::string(keyword) + "=" + Quoted(value);
  }
  return out;
}

void CollectPasswords(std::string_view dsn, int depth, std::vector<std::string>* passwords) {
  Result<Options> options = Parse(dsn);
  if (!options.ok()) return;
  for (const PQconninfoOption* option = options->get(); option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    const std::string_view keyword = option->keyword;
    if (keyword == "password" && option->val[0] != '\0') passwords->emplace_back(option->val);
    if (keyword == "dbname" && depth < kMaxNesting && LooksLikeConnectionString(option->val)) {
      CollectPasswords(option->val, depth + 1, passwords);
    }
  }
}

}  // namespace

Result<std::string> DsnWithoutPassword(std::string_view dsn) {
  return Redacted(dsn, 0);
}

std::vector<std::string> DsnPasswords(std::string_view dsn) {
  std::vector<std::string> passwords;
  CollectPasswords(dsn, 0, &passwords);
  return passwords;
}

std::string DescribeDsn(std::string_view dsn) {
  Result<std::string> redacted = DsnWithoutPassword(dsn);
  if (!redacted.ok()) return "a connection string libpq cannot parse";
  if (redacted->empty()) return "the PG* environment variables";
  return "\"" + *redacted + "\"";
}

}  // namespace skyflow::postgres
