// -clear: deletes every record of the selected vaults' tables, then exits
// (it does not go on to load). Meant for test vaults.
//
// Steps; each of the first three can stop the command before anything is
// deleted:
//   1. Without -yes, standard input must be a terminal to ask on; if it is
//      not, the command refuses (exit 2) and says to pass -yes in scripts.
//   2. Every selected vault's table (VaultConfig::TableName()) is counted by
//      reading it page by page (vault/record_pages.h). An error (credentials
//      refused, unknown vault or table, retries exhausted) stops here.
//   3. Without -yes, the counts are shown and only the answer "yes" goes on.
//   4. Each table is emptied: read the first page, delete its ids, until a
//      read finds nothing; with -clear-all, one delete of ["*"] instead,
//      followed by a read that must find nothing.
// Requests go one at a time over one HttpLoop. 408, 429, 5xx and network
// failures are retried up to -max-attempts times with backoff and jitter,
// Retry-After honoured; a delete is safe to repeat (ids already gone are left
// out of the answer).
//
// Output: progress, the question and errors on stderr, every error with the
// HTTP status, the request id and what to do; "Deleted N records from vault
// NAME" per vault and the total on stdout. The bearer token never appears.
// Exit codes: 0 done (or nothing to delete), 1 not confirmed (nothing
// deleted), 2 no terminal to ask on and no -yes, 3 an HTTP or TLS error
// stopped it (what was deleted until then is reported), 130 interrupted
// (`interrupted` is checked between requests).
// Runs on the calling thread; not reentrant (it reads standard input).
#pragma once

#include <atomic>

#include "config/loader_config.h"

namespace skyflow {

// `config` has been validated for ConfigUse::kClear; run.clear_all selects
// the single delete of ["*"], run.assume_yes skips the question.
int RunClearCommand(const LoaderConfig& config, const std::atomic<bool>& interrupted);

}  // namespace skyflow
