// StatementClient: runs a statement through Snowflake's SQL API
// (POST /api/v2/statements, polling, result partitions, cancel) and turns
// every answer into a result or a Status that says what to do.
//
// - Submit: POST ?requestId=<uuid v4>&async=true. A resent POST keeps the
//   requestId (and adds retry=true), so Snowflake runs the statement once
//   however often the request is resent.
// - 202: the statement runs; GET /api/v2/statements/<handle> is polled, the
//   pause doubling from poll_initial_delay to poll_max_delay, until 200.
// - 429, 500, 502, 503, 504 and transport failures are resent with jittered
//   exponential backoff (net/retry_policy.h; Retry-After is a floor), bounded
//   by max_attempts and max_retry_time per request.
// - 401: the credentials are renewed once (a JWT re-signed) and the request
//   resent; otherwise, and on 403, kUnauthenticated with the credentials'
//   advice. 422: kInvalidArgument with Snowflake's message, code, SQL state
//   and the statement. 408: the statement timed out. 400, 404: Snowflake's
//   code and message. Anything quoted from a server answer is scrubbed of
//   the credentials' secrets first.
// - Bodies are asked for gzip-encoded (Accept-Encoding: gzip); libcurl
//   decodes them.
//
// Requests travel over HttpLoops (libcurl) taken from a small pool, one per
// call in progress, so connections are reused across calls.
//
// Thread-safety: every method may be called from several threads at once
// (a submit thread, a fetch thread, the prefetcher's fetchers); per-call
// state is local and the loop pool is locked. The credentials must be
// thread-safe (they are, see sql_api_credentials.h) and outlive the client.
// A call given a stop_token returns kCancelled promptly (within ~50 ms) once
// a stop is requested, abandoning the request in flight.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "snowflake/result_rows.h"
#include "snowflake/sql_api_credentials.h"
#include "util/status.h"

namespace skyflow::snowflake {

struct StatementClientOptions {
  // Resending one request (submit, one poll, one partition, cancel).
  int max_attempts = 8;
  std::chrono::milliseconds retry_base_delay{250};
  std::chrono::milliseconds retry_max_delay{30000};
  // No resend starts later than this after the request's first attempt.
  std::chrono::milliseconds max_retry_time{300000};
  // One HTTP exchange, from connecting to the last body byte.
  std::chrono::milliseconds request_timeout{300000};
  std::chrono::milliseconds connect_timeout{10000};
  // Polling a running statement.
  std::chrono::milliseconds poll_initial_delay{50};
  std::chrono::milliseconds poll_max_delay{2000};
  bool verify_tls = true;
  std::string ca_file;  // extra CA bundle (PEM); empty = system store
  std::string user_agent = "skyflow-byot-loader";
  // A (decoded) answer larger than this fails: a partition is tens of MB.
  size_t max_response_bytes = size_t{512} << 20;
};

// What to run. Empty strings and an absent timeout are left out of the
// request (Snowflake then uses the user's defaults).
struct Statement {
  std::string text;
  std::optional<int64_t> timeout_seconds;  // 0 = Snowflake's maximum (7 days)
  std::string database;
  std::string schema;
  std::string warehouse;
  std::string role;
  std::string query_tag = "skyflow-byot-loader";
};

class StatementClient {
 public:
  // `base_url`: "https://<account>.snowflakecomputing.com" or, in tests,
  // "http://127.0.0.1:PORT" (no trailing slash needed). `credentials` is not
  // owned and must outlive the client.
  StatementClient(std::string base_url, SqlApiCredentials* credentials,
                  StatementClientOptions options = {});
  ~StatementClient();
  StatementClient(const StatementClient&) = delete;
  StatementClient& operator=(const StatementClient&) = delete;

  // Submits `statement` and waits for its result: the metadata (partition
  // row counts, column names) and partition 0's rows. `submitted_handle`,
  // when given, receives the statement's handle as soon as Snowflake names
  // it (before polling), so that a caller stopped while the statement runs
  // can Cancel it.
  Result<StatementResult> Execute(const Statement& statement, const std::stop_token& stop = {},
                                  std::string* submitted_handle = nullptr);

  // Waits for the result of a statement already submitted (polling while it
  // runs): for resuming with a kept handle while Snowflake retains the
  // result (24 hours).
  Result<StatementResult> AwaitResult(std::string_view handle, std::stop_token stop = {});

  // The rows of partition `index` (1 <= index < partition_count; 0 is
  // accepted too and gives the inline rows again).
  Result<RowBlock> FetchPartition(std::string_view handle, size_t index, std::stop_token stop = {});

  // Asks Snowflake to cancel the statement (so a warehouse does not keep
  // running after Ctrl-C or a fatal error). Not interruptible: it is what
  // runs after an interruption.
  Status Cancel(std::string_view handle);

  const std::string& base_url() const { return base_url_; }

 private:
  class LoopPool;
  struct Call;

  std::string StatementUrl(std::string_view handle) const;
  // Polls until the statement's result; `statement_text` is quoted on a 422.
  Result<StatementResult> AwaitStatement(std::string_view handle, std::string_view statement_text,
                                         std::stop_token stop);

  std::string base_url_;
  SqlApiCredentials* credentials_;
  StatementClientOptions options_;
  std::unique_ptr<LoopPool> loops_;
};

}  // namespace skyflow::snowflake
