// The SQL that reads one vault's (value, token) rows from Snowflake (or from
// PostgreSQL, which runs the same text: see tests/integration/sql/).
//
// Per vault, in order of precedence:
//   - the vault's own "query" (config.json): any SQL returning (value,
//     token), used as written;
//   - -sf-query-mode simple: the Go loader's query over one table
//       SELECT DISTINCT <value_expression> AS <value_column>, <token_column>
//       FROM <table>
//       WHERE <value_column> IS NOT NULL AND <token_column> IS NOT NULL
//     (<table> is -sf-table, prefixed with database.schema when it has no
//     dot, as the Go loader does);
//   - -sf-query-mode union: the Go loader's detokenising UNION over the CLM
//     and MBR tables
//       SELECT <mbr>, <udf_db>.<udf_schema>.<udf>(<mbr>) AS <token_column>
//       FROM (SELECT <clm> AS <mbr> FROM <db>.<schema>.<CLM> GROUP BY 1
//             UNION
//             SELECT <mbr> FROM <db>.<schema>.<MBR> GROUP BY 1) DT
//       GROUP BY 1, 2
//     with every name configurable (the Go loader hard-codes them);
//   - -sf-query-mode generic: the same UNION reading the tokens from the
//     tables' <column>_TOKEN columns instead of a UDF.
// The row window: -max-records N adds LIMIT N; -start-record/-end-record add
// LIMIT end-start OFFSET start and, unlike the Go loader, ORDER BY 1, 2:
// without an order, two chunks of one table may overlap or leave rows out.
// A custom query is wrapped (SELECT * FROM (<query>) AS vault_rows ...) to
// apply the window.
//
// Names from the configuration must be plain identifiers (letters, digits,
// _ and $, dot-separated parts for tables): the SQL is built as text, so a
// name that is not an identifier is refused with the setting to fix, never
// pasted in. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "config/loader_config.h"
#include "util/status.h"

namespace skyflow {

// Which rows of the query's result to read.
struct RowWindow {
  int64_t start_record = 0;  // rows to skip (OFFSET)
  int64_t end_record = 0;    // stop before this row; 0 = no end
  int64_t max_records = 0;   // at most this many rows; 0 = unlimited
};

// The statement for `vault`. InvalidArgument names the setting at fault (an
// unknown mode, a name that is not an identifier, a union/generic mode
// without the vault's CLM/MBR columns, an empty window).
Result<std::string> BuildVaultQuery(const SnowflakeConfig& snowflake, const VaultConfig& vault,
                                    const RowWindow& window);

}  // namespace skyflow
