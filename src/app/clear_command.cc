#include "app/clear_command.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "app/commands.h"
#include "app/confirm.h"
#include "app/exit_codes.h"
#include "net/http_loop.h"
#include "net/retry_policy.h"
#include "util/log.h"
#include "util/redact.h"
#include "vault/record_pages.h"
#include "vault/vault_answer.h"

namespace skyflow {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr milliseconds kPollWait{100};
constexpr auto kProgressInterval = std::chrono::seconds(5);

// "1 record", "25 records".
std::string Records(uint64_t count) {
  return std::to_string(count) + (count == 1 ? " record" : " records");
}

void PrintError(const std::string& message) {
  LogError(message);
}

Status Interrupted() {
  return Status::Cancelled("interrupted: nothing more was sent");
}

// Talks to the vault API for one -clear run: one request at a time, each
// retried on throttling and transient failures, every answer turned into ids
// or into a Status whose message says what to do.
class VaultEraser {
 public:
  VaultEraser(const LoaderConfig& config, const std::atomic<bool>& interrupted)
      : config_(config),
        interrupted_(interrupted),
        loop_(LoopOptions(config)),
        retry_(static_cast<int>(config.performance.max_attempts),
               milliseconds(config.performance.retry_base_delay_ms),
               milliseconds(config.performance.retry_max_delay_ms)),
        rng_(config.run.seed),
        headers_{"Authorization: Bearer " + config.skyflow.bearer_token,
                 "Content-Type: application/json", "Accept: application/json"} {}

  // The number of records of `vault`'s table, read page by page.
  Result<uint64_t> CountRecords(const VaultConfig& vault) {
    uint64_t count = 0;
    Clock::time_point next_report = Clock::now() + kProgressInterval;
    for (;;) {
      Result<std::vector<std::string>> page = ReadPage(vault, count);
      if (!page.ok()) return page.status();
      if (page->empty()) return count;
      count += page->size();
      if (Clock::now() >= next_report) {
        LogInfo("Counting vault " + vault.name + ": " + Records(count) + " so far",
                {{"vault", vault.name}});
        next_report = Clock::now() + kProgressInterval;
      }
    }
  }

  // Reads the first page and deletes its records until a read finds none;
  // `deleted` counts the records removed so far, also when it fails.
  Status DeletePageByPage(const VaultConfig& vault, uint64_t expected, uint64_t* deleted) {
    std::set<std::string> previous_page;
    Clock::time_point next_report = Clock::now() + kProgressInterval;
    for (;;) {
      Result<std::vector<std::string>> page = ReadPage(vault, 0);
      if (!page.ok()) return page.status();
      if (page->empty()) return Status::Ok();
      for (const std::string& id : *page) {
        // Deleting it again would go round forever.
        if (previous_page.count(id) != 0) {
          return Status::Internal("vault " + vault.name + " still lists record " + id +
                                  " of table " + vault.TableName() +
                                  " after acknowledging its deletion; stopped so as not to loop: "
                                  "check the vault's state, or try -clear -clear-all");
        }
      }
      SKYFLOW_RETURN_IF_ERROR(Delete(vault, *page));
      *deleted += page->size();
      previous_page = std::set<std::string>(page->begin(), page->end());
      if (Clock::now() >= next_report) {
        LogInfo("Vault " + vault.name + ": deleted " + std::to_string(*deleted) + " of " +
                    Records(expected),
                {{"vault", vault.name}});
        next_report = Clock::now() + kProgressInterval;
      }
    }
  }

  // One delete of every record, then a read that must find none. `counted`
  // is what the count found, reported as deleted.
  Status DeleteEveryRecord(const VaultConfig& vault, uint64_t counted, uint64_t* deleted) {
    const std::string every[] = {std::string(kEveryRecordId)};
    SKYFLOW_RETURN_IF_ERROR(Delete(vault, every));
    Result<std::vector<std::string>> rest = ReadPage(vault, 0);
    if (!rest.ok()) return rest.status();
    if (!rest->empty()) {
      return Status::Internal("vault " + vault.name +
                              " accepted the delete of every record (skyflow_ids [\"*\"]), but "
                              "table " +
                              vault.TableName() +
                              " still holds records: the vault may not support it; run -clear "
                              "without -clear-all to delete them page by page");
    }
    *deleted = counted;
    return Status::Ok();
  }

 private:
  static HttpLoopOptions LoopOptions(const LoaderConfig& config) {
    HttpLoopOptions options;
    options.verify_tls = !config.run.insecure_skip_tls_verify;
    options.ca_file = config.run.ca_file;
    options.max_connections = 2;
    return options;
  }

  // The ids of the page of `vault`'s table at `offset`; empty at its end.
  Result<std::vector<std::string>> ReadPage(const VaultConfig& vault, uint64_t offset) {
    const std::string url =
        RecordPageUrl(config_.skyflow.vault_url, vault.id, vault.TableName(), offset);
    const std::string action = "reading the records of table " + vault.TableName();
    Result<HttpResponse> response = Exchange(vault, HttpMethod::kGet, url, {}, action);
    if (!response.ok()) return response.status();
    if (response->status == 404) {
      if (IsNoRecordsFound(response->body)) return std::vector<std::string>{};
      return NotFound(vault, url, *response);
    }
    Result<std::vector<std::string>> ids = DecodePageIds(response->body);
    if (!ids.ok()) return Unexpected(vault, action, *response, ids.status());
    return ids;
  }

  // Deletes the records `ids` name (every record for {kEveryRecordId}).
  Status Delete(const VaultConfig& vault, std::span<const std::string> ids) {
    const std::string url =
        DeleteRecordsUrl(config_.skyflow.vault_url, vault.id, vault.TableName());
    std::string body;
    EncodeDeletePayload(ids, &body);
    const std::string action = "deleting records of table " + vault.TableName();
    Result<HttpResponse> response = Exchange(vault, HttpMethod::kDelete, url, body, action);
    if (!response.ok()) return response.status();
    if (response->status == 404) return NotFound(vault, url, *response);
    Result<std::vector<std::string>> listed = DecodeDeletedIds(response->body);
    if (!listed.ok()) return Unexpected(vault, action, *response, listed.status());
    return Status::Ok();
  }

  // Sends until an answer that retrying cannot change: a success or a 404
  // (for the caller to read), else a Status saying what to do.
  Result<HttpResponse> Exchange(const VaultConfig& vault, HttpMethod method, const std::string& url,
                                std::string_view body, const std::string& action) {
    for (int attempt = 1;; ++attempt) {
      if (interrupted_.load()) return Interrupted();
      HttpRequest request;
      request.method = method;
      request.url = url;
      request.body = body;
      request.headers = headers_;
      request.timeout = milliseconds(config_.performance.request_timeout_ms);
      HttpResponse response = SendAndWait(std::move(request));
      const VaultAnswer answer = ClassifyAnswer(response);
      const std::string reason = Scrub(answer.reason);
      switch (answer.kind) {
        case AnswerKind::kSuccess:
        case AnswerKind::kNotFound:
          return response;
        case AnswerKind::kThrottled:
        case AnswerKind::kTransient:
          if (!retry_.MayRetry(attempt)) {
            return Status::Unavailable(
                "vault " + vault.name + ": " + action + " failed after " + std::to_string(attempt) +
                (attempt == 1 ? " attempt (" : " attempts (") + reason +
                "); the vault is unreachable, overloaded or throttling: try again later, or "
                "raise -max-attempts");
          }
          if (!Sleep(retry_.DelayBefore(attempt, answer.retry_after, rng_))) {
            return Interrupted();
          }
          continue;
        case AnswerKind::kUnauthenticated:
          return Status::Unauthenticated(
              "vault " + vault.name + " rejected the credentials (" + reason +
              "); check -token, SKYFLOW_BEARER_TOKEN or skyflow.bearer_token: the token may be "
              "expired or lack the permission to read and delete the records of this vault");
        case AnswerKind::kUntrustedServer:
          return Status::Unauthenticated(
              "vault " + vault.name + " at " + config_.skyflow.vault_url +
              ": the server's TLS certificate is not trusted (" + reason +
              "); if it is issued by a private CA, give that CA's certificate with -ca-file PATH "
              "(PEM)");
        case AnswerKind::kConflict:
        case AnswerKind::kRefused:
        case AnswerKind::kRedirected:
          return Status::InvalidArgument("vault " + vault.name + " refused " + action + " (" +
                                         reason +
                                         "); check the vault id and the table or column name in "
                                         "skyflow.vaults, and -vault-url");
      }
    }
  }

  HttpResponse SendAndWait(HttpRequest request) {
    std::optional<HttpResponse> response;
    loop_.Send(std::move(request),
               [&response](HttpResponse&& answer) { response = std::move(answer); });
    while (!response.has_value())
      loop_.Poll(kPollWait);
    return std::move(*response);
  }

  // Waits `delay` unless interrupted first (false then).
  bool Sleep(milliseconds delay) {
    const Clock::time_point end = Clock::now() + delay;
    while (Clock::now() < end) {
      if (interrupted_.load()) return false;
      std::this_thread::sleep_for(std::min<Clock::duration>(kPollWait, end - Clock::now()));
    }
    return !interrupted_.load();
  }

  Status NotFound(const VaultConfig& vault, const std::string& url,
                  const HttpResponse& response) const {
    return Status::NotFound("vault " + vault.name + " answered 404 at " + url + " (" +
                            Scrub(ClassifyAnswer(response).reason) +
                            "); check the vault id and the table or column name in "
                            "skyflow.vaults, and -vault-url");
  }

  Status Unexpected(const VaultConfig& vault, const std::string& action,
                    const HttpResponse& response, const Status& why) const {
    return Status::ParseError(
        "vault " + vault.name + ": unexpected answer to " + action + " (" +
        Scrub(DescribeHttpError(response.status, why.message(), response.request_id)) +
        "); check that -vault-url is the vault's URL, https://<cluster>.vault.skyflowapis.com");
  }

  // A server may echo the Authorization header in an error body.
  std::string Scrub(std::string text) const {
    return ScrubSecrets(std::move(text), {config_.skyflow.bearer_token});
  }

  const LoaderConfig& config_;
  const std::atomic<bool>& interrupted_;
  HttpLoop loop_;
  RetryPolicy retry_;
  std::mt19937_64 rng_;
  std::vector<std::string> headers_;
};

struct VaultCount {
  VaultConfig vault;
  uint64_t records = 0;
  uint64_t deleted = 0;
};

std::string Question(const std::vector<VaultCount>& counts) {
  std::string question = "Delete ";
  bool first = true;
  for (const VaultCount& count : counts) {
    if (count.records == 0) continue;
    if (!first) question += ", ";
    first = false;
    question +=
        Records(count.records) + " from vault " + count.vault.name + " (id " + count.vault.id + ")";
  }
  return question + "? This cannot be undone. (yes/no): ";
}

int ClearExitCodeFor(const Status& status) {
  return status.code() == StatusCode::kCancelled ? kExitInterrupted : kExitAborted;
}

}  // namespace

int RunClearCommand(const LoaderConfig& config, const std::atomic<bool>& interrupted) {
  const std::vector<VaultConfig> vaults = SelectedVaults(config);
  if (vaults.empty()) {
    PrintError("-clear: no vault is selected: check -vault and skyflow.vaults");
    return kExitUsage;
  }
  if (!config.run.assume_yes && !::isatty(STDIN_FILENO)) {
    PrintError(
        "-clear deletes vault records and asks for confirmation first, but standard input is "
        "not a terminal to ask on; nothing was deleted. In scripts, pass -yes to confirm");
    return kExitUsage;
  }
  if (!config.run.ca_file.empty() && !std::ifstream(config.run.ca_file)) {
    PrintError("-ca-file " + config.run.ca_file +
               ": cannot read the file (a PEM bundle of CA certificates)");
    return kExitUsage;
  }

  VaultEraser eraser(config, interrupted);
  std::vector<VaultCount> counts;
  uint64_t total = 0;
  for (const VaultConfig& vault : vaults) {
    Result<uint64_t> records = eraser.CountRecords(vault);
    if (!records.ok()) {
      PrintError(records.status().message());
      LogInfo("Nothing was deleted.");
      return ClearExitCodeFor(records.status());
    }
    LogInfo("Vault " + vault.name + " (id " + vault.id + ", table " + vault.TableName() +
                "): " + Records(*records),
            {{"vault", vault.name}, {"records", *records}});
    counts.push_back(VaultCount{vault, *records, 0});
    total += *records;
  }
  if (total == 0) {
    std::printf("Nothing to delete: the selected vaults hold no records\n");
    return kExitComplete;
  }
  if (!config.run.assume_yes) {
    const bool confirmed = ConfirmOnTerminal(stderr, Question(counts), /*accept_y=*/false);
    if (interrupted.load()) {
      LogWarn("Interrupted: nothing was deleted.");
      return kExitInterrupted;
    }
    if (!confirmed) {
      LogWarn("Not confirmed (the answer must be \"yes\"): nothing was deleted.");
      return kExitIncomplete;
    }
  }

  Status failure;
  uint64_t deleted_total = 0;
  for (VaultCount& count : counts) {
    if (count.records > 0) {
      failure = config.run.clear_all
                    ? eraser.DeleteEveryRecord(count.vault, count.records, &count.deleted)
                    : eraser.DeletePageByPage(count.vault, count.records, &count.deleted);
    }
    deleted_total += count.deleted;
    std::printf("Deleted %s from vault %s%s\n", Records(count.deleted).c_str(),
                count.vault.name.c_str(), failure.ok() ? "" : " before stopping");
    std::fflush(stdout);
    if (!failure.ok()) break;
  }
  if (!failure.ok()) {
    std::printf("Deleted %s in total before stopping\n", Records(deleted_total).c_str());
    std::fflush(stdout);
    PrintError(failure.message());
    return ClearExitCodeFor(failure);
  }
  std::printf("Deleted %s in total from %zu %s\n", Records(deleted_total).c_str(), counts.size(),
              counts.size() == 1 ? "vault" : "vaults");
  return kExitComplete;
}

}  // namespace skyflow
