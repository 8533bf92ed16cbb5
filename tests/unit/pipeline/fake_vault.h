// Test doubles for the dispatcher: a clock the test controls, a transport
// that answers requests in simulated time, and a small in-memory vault that
// speaks the parts of the vault API the loader uses (per-table and batch
// inserts, detokenize, read by column values). Time only moves inside
// Poll(), so a test of hours of backoff runs in milliseconds.
// Single-threaded, like the dispatcher.
#pragma once

#include <simdjson.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "net/clock.h"
#include "net/http_transport.h"

namespace skyflow::testing {

class FakeClock final : public Clock {
 public:
  TimePoint Now() const override { return now_; }
  void AdvanceTo(TimePoint when) {
    if (when > now_) now_ = when;
  }

 private:
  TimePoint now_{std::chrono::hours(1)};
};

// An answer and how long it takes to arrive.
struct FakeAnswer {
  HttpResponse response;
  Clock::Duration latency = std::chrono::milliseconds(20);
};

class FakeTransport final : public HttpTransport {
 public:
  using Handler = std::function<FakeAnswer(const HttpRequest& request, const std::string& body)>;

  FakeTransport(FakeClock* clock, Handler handler) : clock_(clock), handler_(std::move(handler)) {}

  void Send(HttpRequest request, Completion done) override {
    const std::string body(request.body);
    FakeAnswer answer = handler_(request, body);
    answer.response.elapsed = answer.latency;
    ++sent_;
    in_flight_peak_ = std::max(in_flight_peak_, ++in_flight_);
    pending_.emplace(clock_->Now() + answer.latency,
                     Pending{std::move(answer.response), std::move(done)});
  }

  void Poll(std::chrono::milliseconds max_wait) override {
    const Clock::TimePoint limit = clock_->Now() + max_wait;
    if (pending_.empty() || pending_.begin()->first > limit) {
      clock_->AdvanceTo(limit);
      return;
    }
    const Clock::TimePoint when = pending_.begin()->first;
    clock_->AdvanceTo(when);
    while (!pending_.empty() && pending_.begin()->first <= when) {
      Pending next = std::move(pending_.begin()->second);
      pending_.erase(pending_.begin());
      --in_flight_;
      next.done(std::move(next.response));
    }
  }

  void Wakeup() override {}

  void CancelAll(const std::string& reason) override {
    auto cancelled = std::move(pending_);
    pending_.clear();
    for (auto& [when, next] : cancelled) {
      --in_flight_;
      HttpResponse response;
      response.transport_error = reason;
      next.done(std::move(response));
    }
  }

  size_t sent() const { return sent_; }
  size_t in_flight_peak() const { return in_flight_peak_; }

 private:
  struct Pending {
    HttpResponse response;
    Completion done;
  };
  FakeClock* clock_;
  Handler handler_;
  std::multimap<Clock::TimePoint, Pending> pending_;
  size_t sent_ = 0;
  size_t in_flight_ = 0;
  size_t in_flight_peak_ = 0;
};

inline HttpResponse Answer(long status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.request_id = "req-" + std::to_string(status);
  return response;
}

// One table with one unique column: each token stands for one value, each
// value has one token, as BYOT inserts leave a vault.
class FakeVault {
 public:
  bool Has(const std::string& value, const std::string& token) const {
    auto it = by_token_.find(token);
    return it != by_token_.end() && it->second == value;
  }
  size_t size() const { return by_token_.size(); }
  void Store(const std::string& value, const std::string& token) {
    by_token_[token] = value;
    by_value_[value] = token;
  }

  // Answers what the loader sends; `column` is the table's column.
  HttpResponse Handle(const HttpRequest& request, const std::string& body) {
    if (request.method == HttpMethod::kGet) return Read(request.url);
    if (request.url.ends_with("/detokenize")) return Detokenize(body);
    return Insert(body);
  }

 private:
  using Pairs = std::vector<std::pair<std::string, std::string>>;

  static Pairs PairsOf(const std::string& body, bool* batch, bool* upsert) {
    simdjson::dom::parser parser;
    simdjson::dom::element root = parser.parse(body);
    Pairs pairs;
    *batch = root["continueOnError"].is_bool();
    *upsert = root["upsert"].is_string();
    for (simdjson::dom::element record : root["records"].get_array()) {
      for (auto field : record["fields"].get_object()) {
        const std::string value(field.value.get_string().value());
        const std::string token(record["tokens"][field.key].get_string().value());
        pairs.emplace_back(value, token);
      }
      if (record["upsert"].is_string()) *upsert = true;
    }
    return pairs;
  }

  // Empty when the pair can be stored; else why not.
  std::string Refusal(const std::string& value, const std::string& token, bool upsert) const {
    if (value.find("poison") != std::string::npos) return "Invalid value";
    auto token_owner = by_token_.find(token);
    if (token_owner != by_token_.end() && token_owner->second != value) {
      return "Unique constraint violation: token";
    }
    if (!upsert && by_value_.count(value) > 0) return "Unique constraint violation: value";
    return {};
  }

  HttpResponse Insert(const std::string& body) {
    bool batch = false;
    bool upsert = false;
    const Pairs pairs = PairsOf(body, &batch, &upsert);
    if (batch) {
      std::string answer = R"({"vaultID":"v","responses":[)";
      bool any_failed = false;
      for (size_t i = 0; i < pairs.size(); ++i) {
        if (i) answer += ",";
        const std::string refusal = Refusal(pairs[i].first, pairs[i].second, upsert);
        if (refusal.empty()) {
          Store(pairs[i].first, pairs[i].second);
          answer += R"({"Status":200,"Body":{"records":[{"skyflow_id":"id"}]}})";
        } else {
          any_failed = true;
          const int status = refusal.starts_with("Unique") ? 409 : 400;
          answer += R"({"Status":)" + std::to_string(status) + R"(,"Body":{"error":")" + refusal +
                    R"("}})";
        }
      }
      return Answer(any_failed ? 207 : 200, answer + "]}");
    }
    for (const auto& [value, token] : pairs) {
      const std::string refusal = Refusal(value, token, upsert);
      if (!refusal.empty()) {
        return Answer(refusal.starts_with("Unique") ? 409 : 400,
                      R"({"error":{"message":")" + refusal + R"("}})");
      }
    }
    std::string answer = R"({"records":[)";
    for (size_t i = 0; i < pairs.size(); ++i) {
      Store(pairs[i].first, pairs[i].second);
      answer += std::string(i ? "," : "") + R"({"skyflow_id":"id)" + std::to_string(i) + R"("})";
    }
    return Answer(200, answer + "]}");
  }

  HttpResponse Detokenize(const std::string& body) {
    simdjson::dom::parser parser;
    simdjson::dom::element root = parser.parse(body);
    std::string answer = R"({"records":[)";
    bool first = true;
    for (simdjson::dom::element parameter : root["detokenizationParameters"].get_array()) {
      const std::string token(parameter["token"].get_string().value());
      answer += first ? "" : ",";
      first = false;
      auto it = by_token_.find(token);
      answer += it == by_token_.end()
                    ? R"({"token":")" + token + R"(","value":"","error":"Token not found"})"
                    : R"({"token":")" + token + R"(","value":")" + it->second + R"("})";
    }
    return Answer(200, answer + "]}");
  }

  // Values in tests are plain [A-Za-z0-9_-], so the query needs no decoding.
  HttpResponse Read(const std::string& url) {
    std::string answer = R"({"records":[)";
    bool found = false;
    const std::string key = "column_values=";
    for (size_t at = url.find(key); at != std::string::npos; at = url.find(key, at + 1)) {
      const size_t start = at + key.size();
      const std::string value = url.substr(start, url.find('&', start) - start);
      if (by_value_.count(value) == 0) continue;
      answer +=
          std::string(found ? "," : "") + R"({"fields":{"skyflow_id":"x","c":")" + value + R"("}})";
      found = true;
    }
    if (!found) return Answer(404, R"({"error":{"message":"No Records Found"}})");
    return Answer(200, answer + "]}");
  }

  std::map<std::string, std::string> by_token_;
  std::map<std::string, std::string> by_value_;
};

}  // namespace skyflow::testing
