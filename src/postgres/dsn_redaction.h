// DSN redaction: a PostgreSQL connection string as it may be shown.
//
// A libpq connection string (keyword=value pairs, or a postgres:// or
// postgresql:// URI) may hold a password, in a password= pair, in the URI's
// user:password@ part or as ?password=; and a dbname value may itself be a
// whole connection string that libpq expands. The functions here parse the
// string with libpq's own parser (PQconninfoParse), so that they see the
// password exactly where libpq would, and rebuild it without the password.
// Nothing else in the project should print a DSN: use DsnWithoutPassword.
//
// Pure functions of their argument; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace skyflow::postgres {

// The connection string as keyword=value pairs in libpq's order, without
// any password, values quoted when they need it: "host=db port=5432
// user=loader dbname=poc". Empty for an empty DSN (libpq then uses the PG*
// environment variables). InvalidArgument when libpq cannot parse `dsn`; the
// message quotes libpq's reason only when the string cannot hold a password
// (the reason may quote part of the string).
Result<std::string> DsnWithoutPassword(std::string_view dsn);

// The passwords `dsn` holds (none, one, or more when a dbname holds a nested
// connection string), for util/redact.h ScrubSecrets of any message that may
// echo them. Empty when there are none or when `dsn` cannot be parsed.
std::vector<std::string> DsnPasswords(std::string_view dsn);

// How a DSN is shown in messages: DsnWithoutPassword, or "the PG*
// environment variables" for an empty DSN, or "a connection string libpq
// cannot parse" when it cannot be parsed.
std::string DescribeDsn(std::string_view dsn);

}  // namespace skyflow::postgres
