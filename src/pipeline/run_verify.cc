#include "pipeline/run_verify.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <span>

#include "pipeline/verify_feed.h"
#include "util/redact.h"
#include "vault/record_lookup.h"
#include "vault/vault_answer.h"

namespace skyflow {
namespace {

using std::chrono::milliseconds;

// Longest sleep in Poll: answers end it earlier; this bounds how late an
// interruption or a retry's time is noticed.
constexpr milliseconds kPollWait{100};

// One detokenize request: its records and body stay alive (the transport
// reads the body in place) until its answer has been read.
struct Lookup {
  std::vector<Record> records;
  std::string body;
  int transient_failures = 0;
  int throttled = 0;
  Clock::TimePoint not_before{};
};

class VaultChecker {
 public:
  VaultChecker(HttpTransport& transport, const Clock& clock, const VerifyOptions& options,
               const VaultConfig& vault, RecordSource* source, size_t lane, MismatchList* list,
               const std::atomic<bool>& interrupted)
      : transport_(transport),
        clock_(clock),
        options_(options),
        vault_(vault),
        origin_label_(source->OriginLabel()),
        feed_(source, VerifyFeedOptions{options.max_rows, options.sample, options.seed, lane,
                                        &interrupted}),
        list_(list),
        interrupted_(interrupted),
        url_(DetokenizeUrl(options.vault_url, vault.id)),
        jitter_(options.seed + lane) {
    result_.name = vault.name;
    result_.id = vault.id;
    result_.source = source->Describe();
  }

  VaultVerifyResult Run() {
    const Clock::TimePoint start = clock_.Now();
    Clock::TimePoint next_report = start + options_.progress_interval;
    for (;;) {
      if (!stopping_ && interrupted_.load()) {
        Stop(
            Status::Cancelled("interrupted: requests in flight were answered, nothing more "
                              "was sent"));
      }
      if (!stopping_) FillWindow();
      if (in_flight_ == 0 && (stopping_ || (source_done_ && waiting_.empty()))) break;
      transport_.Poll(WaitTime());
      if (options_.progress && clock_.Now() >= next_report) {
        Snapshot();
        options_.progress(result_);
        next_report = clock_.Now() + options_.progress_interval;
      }
    }
    Snapshot();
    result_.elapsed = clock_.Now() - start;
    return std::move(result_);
  }

 private:
  void Snapshot() {
    result_.rows_read = feed_.rows_read();
    result_.rejected = feed_.rejected();
    result_.eligible = feed_.eligible();
    result_.stopped_at_limit = feed_.stopped_at_limit();
  }

  size_t Window() const { return std::max<size_t>(1, options_.max_in_flight); }

  // Sends what may go: lookups whose backoff is over first, then new ones
  // from the source, while the window has room and the vault is not paused.
  void FillWindow() {
    while (!stopping_ && in_flight_ < Window()) {
      const Clock::TimePoint now = clock_.Now();
      if (now < paused_until_) return;
      auto ready = std::find_if(waiting_.begin(), waiting_.end(),
                                [now](const auto& lookup) { return lookup->not_before <= now; });
      if (ready != waiting_.end()) {
        std::shared_ptr<Lookup> lookup = *ready;
        waiting_.erase(ready);
        Send(std::move(lookup));
        continue;
      }
      // Lookups waiting to be resent hold their place: the source is read
      // no further ahead than the window.
      if (source_done_ || in_flight_ + waiting_.size() >= Window()) return;
      auto lookup = std::make_shared<Lookup>();
      bool done = false;
      if (Status read = feed_.Next(&lookup->records, &done); !read.ok()) {
        Stop(Status(read.code(), "vault " + vault_.name + ": " + read.message()));
        return;
      }
      source_done_ = done;
      if (lookup->records.empty()) continue;
      EncodeDetokenizePayload(std::span<const Record>(lookup->records), &lookup->body);
      Send(std::move(lookup));
    }
  }

  milliseconds WaitTime() const {
    if (stopping_ || in_flight_ >= Window()) return kPollWait;
    const Clock::TimePoint now = clock_.Now();
    std::optional<Clock::TimePoint> next;
    if (paused_until_ > now) next = paused_until_;
    for (const auto& lookup : waiting_) {
      if (!next || lookup->not_before < *next) next = lookup->not_before;
    }
    if (!next) return kPollWait;
    const auto wait = std::chrono::ceil<milliseconds>(*next - now);
    return std::clamp(wait, milliseconds(1), kPollWait);
  }

  void Send(std::shared_ptr<Lookup> lookup) {
    HttpRequest request;
    request.method = HttpMethod::kPost;
    request.url = url_;
    request.body = lookup->body;
    request.headers = options_.headers;
    request.timeout = options_.request_timeout;
    // Throttling is timed from the first request, not from the start: drawing
    // a sample may read the source for a long time first.
    if (!sent_any_) last_progress_ = clock_.Now();
    sent_any_ = true;
    ++in_flight_;
    transport_.Send(std::move(request),
                    [this, lookup = std::move(lookup)](HttpResponse&& response) {
                      OnAnswer(lookup, response);
                    });
  }

  void OnAnswer(const std::shared_ptr<Lookup>& lookup, const HttpResponse& response) {
    --in_flight_;
    ++result_.requests;
    const VaultAnswer answer = ClassifyAnswer(response);
    if (answer.kind != AnswerKind::kSuccess) ++result_.errors;
    const Clock::TimePoint now = clock_.Now();
    switch (answer.kind) {
      case AnswerKind::kSuccess:
        Compare(*lookup, response);
        return;
      case AnswerKind::kThrottled: {
        if (stopping_) return;
        if (now - last_progress_ >= options_.max_retry_time) {
          Stop(Status::Unavailable("vault " + vault_.name +
                                   " kept throttling detokenize requests (" + Scrub(answer.reason) +
                                   ") for longer than -max-retry-time without an answer; try "
                                   "again later, or raise -max-retry-time"));
          return;
        }
        const milliseconds delay =
            options_.retry.DelayBefore(++lookup->throttled, answer.retry_after, jitter_);
        // The whole vault waits, as it asked: no new request before then.
        paused_until_ = std::max(paused_until_, now + delay);
        lookup->not_before = now + delay;
        waiting_.push_front(lookup);
        return;
      }
      case AnswerKind::kTransient: {
        if (stopping_) return;
        ++lookup->transient_failures;
        if (!options_.retry.MayRetry(lookup->transient_failures)) {
          Stop(Status::Unavailable(
              "vault " + vault_.name + ": detokenize failed after " +
              std::to_string(lookup->transient_failures) + " attempts (" + Scrub(answer.reason) +
              "); the vault is unreachable or overloaded: try again later, or raise "
              "-max-attempts"));
          return;
        }
        lookup->not_before = now + options_.retry.DelayBefore(lookup->transient_failures,
                                                              answer.retry_after, jitter_);
        waiting_.push_back(lookup);
        return;
      }
      case AnswerKind::kUnauthenticated:
        Stop(Status::Unauthenticated(
            "vault " + vault_.name + " rejected the credentials (" + Scrub(answer.reason) +
            "); check -token, SKYFLOW_BEARER_TOKEN or skyflow.bearer_token: the token may be "
            "expired or lack the permission to detokenize in this vault"));
        return;
      case AnswerKind::kUntrustedServer:
        Stop(Status::Unauthenticated(
            "vault " + vault_.name + " at " + options_.vault_url +
            ": the server's TLS certificate is not trusted (" + Scrub(answer.reason) +
            "); if it is issued by a private CA, give that CA's certificate with -ca-file PATH "
            "(PEM)"));
        return;
      case AnswerKind::kNotFound:
        Stop(Status::NotFound("vault " + vault_.name + " answered 404 at " + url_ + " (" +
                              Scrub(answer.reason) +
                              "); check the vault id in skyflow.vaults and -vault-url"));
        return;
      case AnswerKind::kConflict:
      case AnswerKind::kRefused:
      case AnswerKind::kRedirected:
        Stop(Status::InvalidArgument(
            "vault " + vault_.name + " refused the detokenize request (" + Scrub(answer.reason) +
            "); check the vault id in skyflow.vaults and -vault-url (the loader follows no "
            "redirect)"));
        return;
    }
  }

  void Compare(const Lookup& lookup, const HttpResponse& response) {
    Result<std::vector<std::optional<std::string>>> found =
        DecodeDetokenized(response.body, lookup.records.size());
    if (!found.ok()) {
      // The decoder's message may quote the body, and a body may hold
      // values: only the shape of the problem is told.
      Stop(Status::ParseError(
          "vault " + vault_.name + ": unexpected answer to detokenize (" +
          Scrub(DescribeHttpError(response.status,
                                  "not JSON with one \"records\" entry per token asked",
                                  response.request_id)) +
          "); check that -vault-url is the vault's URL, https://<cluster>.vault.skyflowapis.com"));
      return;
    }
    last_progress_ = clock_.Now();
    for (size_t i = 0; i < lookup.records.size(); ++i) {
      const Record& record = lookup.records[i];
      const PairVerdict verdict = ComparePair(record.value, (*found)[i]);
      result_.counts.Add(verdict);
      if (verdict == PairVerdict::kMatching) continue;
      if (Status written = list_->Append(vault_.name, origin_label_, record, (*found)[i], verdict);
          !written.ok()) {
        Stop(written);
      }
    }
  }

  // The first reason to stop wins; later answers are still counted.
  void Stop(Status status) {
    if (!stopping_) result_.status = std::move(status);
    stopping_ = true;
    waiting_.clear();
  }

  std::string Scrub(std::string text) const {
    return ScrubSecrets(std::move(text), options_.secrets);
  }

  HttpTransport& transport_;
  const Clock& clock_;
  const VerifyOptions& options_;
  const VaultConfig& vault_;
  const std::string origin_label_;
  VerifyFeed feed_;
  MismatchList* list_;
  const std::atomic<bool>& interrupted_;
  const std::string url_;
  std::mt19937_64 jitter_;

  VaultVerifyResult result_;
  std::deque<std::shared_ptr<Lookup>> waiting_;
  size_t in_flight_ = 0;
  bool source_done_ = false;
  bool stopping_ = false;
  bool sent_any_ = false;
  Clock::TimePoint paused_until_{};
  Clock::TimePoint last_progress_{};
};

}  // namespace

VaultVerifyResult VerifyVault(HttpTransport& transport, const Clock& clock,
                              const VerifyOptions& options, const VaultConfig& vault,
                              RecordSource* source, size_t lane, MismatchList* list,
                              const std::atomic<bool>& interrupted) {
  VaultChecker checker(transport, clock, options, vault, source, lane, list, interrupted);
  return checker.Run();
}

}  // namespace skyflow
