#include "snowflake/statement_client.h"

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <random>
#include <utility>
#include <vector>

#include "net/http_exchange.h"
#include "net/http_loop.h"
#include "net/retry_policy.h"
#include "util/json_writer.h"
#include "util/printable_text.h"
#include "util/redact.h"

namespace skyflow::snowflake {
namespace {

using std::chrono::milliseconds;
using SteadyTime = std::chrono::steady_clock;

// How long one Poll of a loop may sleep; a stop request wakes it earlier.
constexpr milliseconds kPollSlice{100};
// Idle loops kept for reuse (each holds its pooled connections).
constexpr size_t kMaxIdleLoops = 8;
// How much of a statement an error message quotes.
constexpr size_t kStatementQuoteBytes = 500;

// A random (version 4) UUID, as the requestId Snowflake expects.
std::string NewRequestId() {
  std::random_device device;
  std::mt19937_64 random((static_cast<uint64_t>(device()) << 32) ^ device());
  unsigned char bytes[16];
  for (int i = 0; i < 16; i += 8) {
    const uint64_t word = random();
    for (int j = 0; j < 8; ++j)
      bytes[i + j] = static_cast<unsigned char>(word >> (8 * j));
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof(text),
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return text;
}

// A statement handle as a URL path segment: handles are UUID-like, but one
// read back from a file must not be able to change the path or the query.
std::string PathSegment(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    }
  }
  return out;
}

std::string StatementBody(const Statement& statement) {
  std::string body;
  JsonWriter json(&body);
  json.BeginObject().Field("statement", statement.text);
  if (statement.timeout_seconds) json.Field("timeout", *statement.timeout_seconds);
  if (!statement.database.empty()) json.Field("database", statement.database);
  if (!statement.schema.empty()) json.Field("schema", statement.schema);
  if (!statement.warehouse.empty()) json.Field("warehouse", statement.warehouse);
  if (!statement.role.empty()) json.Field("role", statement.role);
  if (!statement.query_tag.empty()) {
    json.Key("parameters").BeginObject().Field("query_tag", statement.query_tag).EndObject();
  }
  json.EndObject();
  return body;
}

bool IsRetryableStatus(long status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

std::string Plural(int count, const char* one, const char* many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

}  // namespace

class StatementClient::LoopPool {
 public:
  explicit LoopPool(HttpLoopOptions options) : options_(std::move(options)) {}

  std::unique_ptr<HttpLoop> Take() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        std::unique_ptr<HttpLoop> loop = std::move(idle_.back());
        idle_.pop_back();
        return loop;
      }
    }
    return std::make_unique<HttpLoop>(options_);
  }

  void Give(std::unique_ptr<HttpLoop> loop) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < kMaxIdleLoops) idle_.push_back(std::move(loop));
  }

 private:
  const HttpLoopOptions options_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<HttpLoop>> idle_;
};

// One method call: its loop, random generator and stop token.
struct StatementClient::Call {
  // What one exchange is for, to say so in messages.
  struct Purpose {
    std::string action;              // "submitting the statement"
    std::string_view statement;      // quoted on a 422; may be empty
    bool statement_running = false;  // a 202 is an answer (submit, poll)
  };

  Call(StatementClient& owner, std::stop_token stop_token)
      : client(owner),
        stop(std::move(stop_token)),
        loop(client.loops_->Take()),
        retry(client.options_.max_attempts, client.options_.retry_base_delay,
              client.options_.retry_max_delay),
        rng(std::random_device{}()) {}
  ~Call() { client.loops_->Give(std::move(loop)); }
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;

  // Sends until an answer that resending cannot change: 200 (or 202 when
  // the purpose allows it) comes back, anything else becomes a Status.
  // `retry_url` (if not empty) replaces `url` from the second attempt on.
  Result<HttpResponse> Exchange(HttpMethod method, const std::string& url,
                                const std::string& retry_url, std::string_view body,
                                const Purpose& purpose) {
    const SteadyTime::time_point deadline = SteadyTime::now() + client.options_.max_retry_time;
    bool renewed = false;
    for (int attempt = 1;; ++attempt) {
      if (stop.stop_requested()) return Interrupted(purpose);
      Result<std::vector<std::string>> credential_headers = client.credentials_->Headers();
      if (!credential_headers.ok()) return credential_headers.status();
      HttpRequest request;
      request.method = method;
      request.url = attempt > 1 && !retry_url.empty() ? retry_url : url;
      request.body = body;
      request.headers = std::move(*credential_headers);
      request.headers.emplace_back("Content-Type: application/json");
      request.headers.emplace_back("Accept: application/json");
      request.headers.emplace_back("User-Agent: " + client.options_.user_agent);
      request.headers.emplace_back("Accept-Encoding: gzip");
      request.timeout = client.options_.request_timeout;
      std::optional<HttpResponse> answer = SendAndWait(std::move(request));
      if (!answer) return Interrupted(purpose);
      HttpResponse& response = *answer;

      if (response.status == 200 || (response.status == 202 && purpose.statement_running)) {
        return std::move(response);
      }
      if (response.status == 401 && !renewed && client.credentials_->RenewAfterRejection()) {
        renewed = true;  // one more attempt with the new credentials, not counted
        --attempt;
        continue;
      }
      const bool transient = (response.transport_failed() && !response.tls_untrusted) ||
                             IsRetryableStatus(response.status);
      if (!transient) return Failure(response, purpose);
      const milliseconds delay = retry.DelayBefore(attempt, response.retry_after, rng);
      if (!retry.MayRetry(attempt) || SteadyTime::now() + delay > deadline) {
        return Status::Unavailable(
            "Snowflake at " + client.base_url_ + ": " + purpose.action + " failed after " +
            Plural(attempt, "attempt", "attempts") + " (last: " + Describe(response) +
            "); Snowflake is unreachable, overloaded or throttling: try again later, or allow "
            "more attempts or a longer retry time");
      }
      if (!Sleep(delay)) return Interrupted(purpose);
    }
  }

  // Runs one request to completion on this call's loop; nullopt if a stop
  // was requested first (the request is then abandoned).
  std::optional<HttpResponse> SendAndWait(HttpRequest request) {
    std::optional<HttpResponse> response;
    loop->Send(std::move(request),
               [&response](HttpResponse&& answer) { response = std::move(answer); });
    std::stop_callback wake(stop, [this] { loop->Wakeup(); });
    while (!response.has_value()) {
      if (stop.stop_requested()) {
        loop->CancelAll("interrupted");
        return std::nullopt;
      }
      loop->Poll(kPollSlice);
    }
    return response;
  }

  // Waits `delay`; false if a stop was requested first.
  bool Sleep(milliseconds delay) {
    std::unique_lock lock(sleep_mutex);
    sleep_wakeup.wait_for(lock, stop, delay, [] { return false; });
    return !stop.stop_requested();
  }

  Status Interrupted(const Purpose& purpose) const {
    return Status::Cancelled("interrupted while " + purpose.action);
  }

  // "HTTP 422, code 002003, SQL state 42S02: <message> (request id R)", or
  // the transport's failure; scrubbed of the credentials' secrets.
  std::string Describe(const HttpResponse& response) const {
    std::string text;
    if (response.transport_failed()) {
      text = std::string(response.timed_out ? "timed out: " : "no answer: ") +
             response.transport_error;
    } else {
      const StatusBody status = ParseStatusBody(response.body);
      text = "HTTP " + std::to_string(response.status);
      if (!status.code.empty()) text += ", code " + PrintablePrefix(status.code, 40);
      if (!status.sql_state.empty()) text += ", SQL state " + PrintablePrefix(status.sql_state, 40);
      text += ": ";
      if (!status.message.empty()) {
        text += PrintablePrefix(status.message, 1000);
      } else {
        text += response.body.empty() ? "(empty body)" : PrintablePrefix(response.body);
      }
      if (!response.request_id.empty()) {
        text += " (request id " + PrintablePrefix(response.request_id, 80) + ")";
      }
    }
    return ScrubSecrets(std::move(text), client.credentials_->Secrets());
  }

  // The Status for an answer that resending cannot change.
  Status Failure(const HttpResponse& response, const Purpose& purpose) const {
    const std::string where = "Snowflake at " + client.base_url_ + ", " + purpose.action;
    const std::string answer = Describe(response);
    switch (response.status) {
      case 0:  // only an untrusted certificate is final among transport failures
        return Status::Unauthenticated(
            where + ": the server's TLS certificate is not trusted (" + answer +
            "); if it is issued by a private CA, give that CA's certificate (PEM) as the CA file");
      case 401:
        return Status::Unauthenticated(where + ": the credentials were rejected (" + answer +
                                       "); " + client.credentials_->RejectionAdvice());
      case 403:
        return Status::Unauthenticated(where + ": access refused (" + answer +
                                       "); the user may not use the SQL API from here; " +
                                       client.credentials_->RejectionAdvice());
      case 408:
        return Status::Unavailable(
            where + ": the statement ran past its timeout and Snowflake cancelled it (" + answer +
            "); raise the statement timeout, use a larger warehouse, or select fewer rows");
      case 422: {
        std::string statement = PrintablePrefix(purpose.statement, kStatementQuoteBytes);
        statement = ScrubSecrets(std::move(statement), client.credentials_->Secrets());
        return Status::InvalidArgument(
            where + ": Snowflake could not run the statement (" + answer +
            "); statement: " + (statement.empty() ? std::string("(not known here)") : statement) +
            "; correct the query, or the database, schema, table or function names it uses");
      }
      case 400:
        return Status::InvalidArgument(where + ": the request was refused (" + answer +
                                       "); if a partition is named, it is out of range: the "
                                       "result has fewer partitions");
      case 404:
        return Status::NotFound(where + ": the statement is unknown to Snowflake (" + answer +
                                "); results are kept for 24 hours: submit the statement again");
      case 202:
        return Status::Unavailable(where + ": the statement is still running (" + answer +
                                   "); wait for its result before fetching partitions");
      default:
        break;
    }
    if (response.status >= 300 && response.status < 400) {
      return Status::InvalidArgument(
          where + ": answered with a redirect to " +
          PrintablePrefix(response.location.empty() ? "(no Location)" : response.location) + " (" +
          answer + "), which is not followed; check the Snowflake URL or account");
    }
    return Status::Unavailable(where + ": unexpected answer (" + answer +
                               "); check the Snowflake URL or account");
  }

  StatementClient& client;
  std::stop_token stop;
  // For Sleep: a wait that a stop request ends early.
  std::mutex sleep_mutex;
  std::condition_variable_any sleep_wakeup;
  std::unique_ptr<HttpLoop> loop;
  RetryPolicy retry;
  std::mt19937_64 rng;
};

StatementClient::StatementClient(std::string base_url, SqlApiCredentials* credentials,
                                 StatementClientOptions options)
    : base_url_(std::move(base_url)), credentials_(credentials), options_(std::move(options)) {
  while (!base_url_.empty() && base_url_.back() == '/')
    base_url_.pop_back();
  HttpLoopOptions loop_options;
  loop_options.verify_tls = options_.verify_tls;
  loop_options.ca_file = options_.ca_file;
  loop_options.connect_timeout = options_.connect_timeout;
  loop_options.max_connections = 8;
  loop_options.max_response_bytes = options_.max_response_bytes;
  loops_ = std::make_unique<LoopPool>(std::move(loop_options));
}

StatementClient::~StatementClient() = default;

std::string StatementClient::StatementUrl(std::string_view handle) const {
  return base_url_ + "/api/v2/statements/" + PathSegment(handle);
}

Result<StatementResult> StatementClient::Execute(const Statement& statement,
                                                 const std::stop_token& stop,
                                                 std::string* submitted_handle) {
  const std::string url =
      base_url_ + "/api/v2/statements?requestId=" + NewRequestId() + "&async=true";
  const std::string body = StatementBody(statement);
  Call call(*this, stop);
  Call::Purpose purpose{"submitting the statement", statement.text, true};
  Result<HttpResponse> response =
      call.Exchange(HttpMethod::kPost, url, url + "&retry=true", body, purpose);
  if (!response.ok()) return response.status();
  if (response->status == 200) {
    return ParseResultSet(std::move(response->body), "the result of the statement");
  }
  const StatusBody accepted = ParseStatusBody(response->body);
  if (accepted.handle.empty()) {
    return Status::ParseError(
        "Snowflake at " + base_url_ +
        " accepted the statement (HTTP 202) without a statementHandle: " +
        ScrubSecrets(PrintablePrefix(response->body), credentials_->Secrets()));
  }
  if (submitted_handle != nullptr) *submitted_handle = accepted.handle;
  return AwaitStatement(accepted.handle, statement.text, stop);
}

Result<StatementResult> StatementClient::AwaitResult(std::string_view handle,
                                                     std::stop_token stop) {
  return AwaitStatement(handle, {}, std::move(stop));
}

Result<StatementResult> StatementClient::AwaitStatement(std::string_view handle,
                                                        std::string_view statement_text,
                                                        std::stop_token stop) {
  Call call(*this, std::move(stop));
  const std::string url = StatementUrl(handle);
  const Call::Purpose purpose{"waiting for statement " + std::string(handle), statement_text, true};
  milliseconds pause = options_.poll_initial_delay;
  // Ends with the statement's result or failure (Snowflake cancels a
  // statement at its timeout and answers 408), or with a stop request.
  for (;;) {
    Result<HttpResponse> response = call.Exchange(HttpMethod::kGet, url, {}, {}, purpose);
    if (!response.ok()) return response.status();
    if (response->status == 200) {
      Result<StatementResult> result = ParseResultSet(
          std::move(response->body), "the result of statement " + std::string(handle));
      if (result.ok() && result->handle.empty()) result->handle = std::string(handle);
      return result;
    }
    if (!call.Sleep(pause)) return call.Interrupted(purpose);
    pause = std::min(pause * 2, std::max(options_.poll_max_delay, options_.poll_initial_delay));
  }
}

Result<RowBlock> StatementClient::FetchPartition(std::string_view handle, size_t index,
                                                 std::stop_token stop) {
  Call call(*this, std::move(stop));
  const std::string what =
      "partition " + std::to_string(index) + " of statement " + std::string(handle);
  const Call::Purpose purpose{"fetching " + what, {}, false};
  Result<HttpResponse> response =
      call.Exchange(HttpMethod::kGet, StatementUrl(handle) + "?partition=" + std::to_string(index),
                    {}, {}, purpose);
  if (!response.ok()) return response.status();
  return ParsePartition(std::move(response->body), what);
}

Status StatementClient::Cancel(std::string_view handle) {
  Call call(*this, std::stop_token());
  const Call::Purpose purpose{"cancelling statement " + std::string(handle), {}, false};
  Result<HttpResponse> response =
      call.Exchange(HttpMethod::kPost, StatementUrl(handle) + "/cancel", {}, {}, purpose);
  return response.status();
}

}  // namespace skyflow::snowflake
