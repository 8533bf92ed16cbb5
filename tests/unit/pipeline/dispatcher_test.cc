// The dispatcher against a fake transport, a fake clock and an in-memory
// vault: every outcome of a request, in simulated time.
#include "pipeline/dispatcher.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <span>
#include <unordered_map>

#include "fake_vault.h"
#include "net/adaptive_concurrency.h"
#include "util/duration.h"
#include "vault/insert_payload.h"

namespace skyflow {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::Answer;
using testing::FakeAnswer;
using testing::FakeClock;
using testing::FakeTransport;
using testing::FakeVault;

class Recorder final : public DispatchObserver {
 public:
  void OnRequest(size_t, const RequestReport& report) override {
    ++requests;
    ++by_status[report.http_status];
    if (report.task != TaskKind::kInsert) ++lookups;
  }
  void OnSettled(size_t, SettledRecords&& settled) override {
    count[settled.fate] += settled.records.size();
    if (settled.fate != RecordFate::kLoaded && settled.fate != RecordFate::kAlreadyPresent) {
      for (const Record& record : settled.records)
        reasons[record.token] = settled.reason;
    }
    for (const Record& record : settled.records)
      ++settled_times[record.token];
  }
  size_t requests = 0;
  size_t lookups = 0;
  std::map<long, size_t> by_status;
  std::map<RecordFate, size_t> count;
  std::map<std::string, std::string> reasons;
  std::unordered_map<std::string, int> settled_times;
};

class DispatcherTest : public ::testing::Test {
 protected:
  // `handler` answers each request; by default the fake vault does.
  void Run(size_t records, size_t batch_size, FakeTransport::Handler handler = {},
           std::unique_ptr<ConcurrencyLimiter> limiter = nullptr) {
    if (!handler) {
      handler = [this](const HttpRequest& request, const std::string& body) {
        return FakeAnswer{vault_.Handle(request, body)};
      };
    }
    transport_ = std::make_unique<FakeTransport>(&clock_, handler);
    Dispatcher dispatcher(transport_.get(), &clock_, options_, &recorder_);
    BoundedQueue<Batch> queue(records / batch_size + 2);
    LaneOptions lane;
    lane.endpoint = {"SSN", "http://127.0.0.1:1", "v1", insert_};
    lane.limiter = limiter ? std::move(limiter) : std::make_unique<FixedConcurrency>(4);
    dispatcher.AddLane(std::move(lane), &queue);
    uint64_t number = 0;
    for (size_t start = 0; start < records; start += batch_size) {
      Batch batch;
      batch.number = ++number;
      for (size_t i = start; i < std::min(records, start + batch_size); ++i) {
        batch.records.push_back(
            {i, i + 2, "value-" + std::to_string(i), "token-" + std::to_string(i)});
      }
      EncodeInsertPayload(insert_, std::span<const Record>(batch.records), &batch.body);
      queue.Push(std::move(batch));
    }
    queue.Finish();
    status_ = dispatcher.Run(interrupted_);
    for (const auto& [token, times] : recorder_.settled_times)
      EXPECT_EQ(times, 1) << token << " settled more than once";
    EXPECT_EQ(recorder_.settled_times.size(), records) << "every record settles";
  }

  size_t Count(RecordFate fate) { return recorder_.count[fate]; }

  FakeClock clock_;
  FakeVault vault_;
  std::unique_ptr<FakeTransport> transport_;
  InsertOptions insert_{"c", "c", false, InsertApi::kTable};
  DispatcherOptions options_{{},
                             milliseconds(60000),
                             RetryPolicy(3, milliseconds(100), seconds(5)),
                             std::chrono::minutes(30),
                             7};
  Recorder recorder_;
  Status status_;
  std::atomic<bool> interrupted_{false};  // a handler may set it, as Ctrl-C would
};

TEST_F(DispatcherTest, InterruptedRequestsInFlightGetTheDrainTimeoutThenAreCancelled) {
  // The vault answers after 10 minutes; Ctrl-C comes with the first request.
  const Clock::TimePoint start = clock_.Now();
  options_.drain_timeout = seconds(30);
  Run(1000, 100, [this](const HttpRequest& request, const std::string& body) {
    interrupted_ = true;
    return FakeAnswer{vault_.Handle(request, body), std::chrono::minutes(10)};
  });
  EXPECT_EQ(status_.code(), StatusCode::kCancelled);
  EXPECT_EQ(Count(RecordFate::kUnsent), 1000u) << "cancelled in flight, or never sent";
  EXPECT_EQ(Count(RecordFate::kLoaded), 0u);
  const auto waited = clock_.Now() - start;
  EXPECT_GE(waited, seconds(30));
  EXPECT_LT(waited, seconds(31)) << "the drain ends at its timeout, not at the answers";
}

TEST_F(DispatcherTest, InterruptedRequestsThatAnswerInTimeSettleNormally) {
  options_.drain_timeout = seconds(30);
  size_t sent = 0;
  Run(1000, 100, [this, &sent](const HttpRequest& request, const std::string& body) {
    if (++sent == 2) interrupted_ = true;
    return FakeAnswer{vault_.Handle(request, body), seconds(2)};
  });
  EXPECT_EQ(status_.code(), StatusCode::kCancelled);
  // Nothing is sent after the interruption is seen; what was in flight then
  // (the slots filled at once: 4) finishes and counts.
  EXPECT_EQ(sent, 4u);
  EXPECT_EQ(Count(RecordFate::kLoaded), 400u) << "the requests in flight finished";
  EXPECT_EQ(Count(RecordFate::kUnsent), 600u);
}

TEST_F(DispatcherTest, EverythingLoadsWhenTheVaultAcceptsIt) {
  Run(1000, 100);
  EXPECT_TRUE(status_.ok());
  EXPECT_EQ(Count(RecordFate::kLoaded), 1000u);
  EXPECT_EQ(vault_.size(), 1000u);
  EXPECT_EQ(recorder_.requests, 10u);
}

TEST_F(DispatcherTest, A429StormCostsNoRecordAndNoAttempt) {
  // 200 answers of 429 in a row: far more than -max-attempts (3) per batch.
  int throttled = 0;
  Run(1000, 100, [&](const HttpRequest& request, const std::string& body) {
    if (throttled < 200) {
      ++throttled;
      HttpResponse response = Answer(429, R"({"error":{"message":"Too many requests"}})");
      response.retry_after = milliseconds(1000);
      return FakeAnswer{response, milliseconds(5)};
    }
    return FakeAnswer{vault_.Handle(request, body)};
  });
  EXPECT_EQ(Count(RecordFate::kLoaded), 1000u);
  EXPECT_EQ(Count(RecordFate::kFailed), 0u);
  EXPECT_EQ(recorder_.by_status[429], 200u);
  // Retry-After pauses the whole lane, so the storm costs seconds, not
  // 200 separate waits.
  EXPECT_GE(clock_.Now() - Clock::TimePoint(std::chrono::hours(1)), seconds(1));
}

TEST_F(DispatcherTest, ThrottlingWithoutRetryAfterBacksOffAndStillLoads) {
  int calls = 0;
  Run(500, 100, [&](const HttpRequest& request, const std::string& body) {
    if (++calls % 2 == 1) return FakeAnswer{Answer(503, "Service Unavailable")};
    return FakeAnswer{vault_.Handle(request, body)};
  });
  EXPECT_EQ(Count(RecordFate::kLoaded), 500u);
  EXPECT_GT(recorder_.by_status[503], 0u);
}

TEST_F(DispatcherTest, GivesUpAfterMaxRetryTimeWithoutProgress) {
  options_.max_retry_time = seconds(10);
  Run(300, 100, [&](const HttpRequest&, const std::string&) {
    HttpResponse response = Answer(503, R"({"error":{"message":"down"}})");
    response.retry_after = milliseconds(500);
    return FakeAnswer{response};
  });
  EXPECT_EQ(Count(RecordFate::kFailed), 300u);
  EXPECT_NE(recorder_.reasons["token-0"].find("-max-retry-time"), std::string::npos)
      << recorder_.reasons["token-0"];
  EXPECT_NE(recorder_.reasons["token-0"].find("HTTP 503"), std::string::npos);
  EXPECT_LT(clock_.Now() - Clock::TimePoint(std::chrono::hours(1)), seconds(20));
}

TEST_F(DispatcherTest, ServerErrorsUseUpAttempts) {
  Run(200, 100, [&](const HttpRequest&, const std::string&) {
    return FakeAnswer{Answer(500, R"({"error":{"message":"boom"}})")};
  });
  EXPECT_EQ(Count(RecordFate::kFailed), 200u);
  EXPECT_EQ(recorder_.requests, 2u * 3u);
  EXPECT_NE(recorder_.reasons["token-5"].find("gave up after 3 attempts"), std::string::npos);
}

TEST_F(DispatcherTest, ALostAnswerThenAConflictCountsAsAlreadyPresent) {
  // The vault stores the first batch's first send but the answer is lost;
  // its resend meets the stored records.
  bool dropped = false;
  Run(500, 100, [&](const HttpRequest& request, const std::string& body) {
    HttpResponse response = vault_.Handle(request, body);
    if (!dropped && request.method == HttpMethod::kPost) {
      dropped = true;
      HttpResponse lost;
      lost.transport_error = "Connection reset by peer";
      return FakeAnswer{lost};
    }
    return FakeAnswer{response};
  });
  EXPECT_TRUE(status_.ok());
  EXPECT_EQ(Count(RecordFate::kLoaded), 400u);
  EXPECT_EQ(Count(RecordFate::kAlreadyPresent), 100u);
  EXPECT_EQ(Count(RecordFate::kConflict), 0u);
  EXPECT_EQ(vault_.size(), 500u);
  EXPECT_GT(recorder_.lookups, 0u);
}

TEST_F(DispatcherTest, ATokenHeldByAnotherValueIsARealConflictAndTheRestLoads) {
  vault_.Store("someone-else", "token-42");
  Run(300, 100);
  EXPECT_EQ(Count(RecordFate::kConflict), 1u);
  EXPECT_EQ(Count(RecordFate::kLoaded), 299u);
  EXPECT_NE(recorder_.reasons["token-42"].find("token for another value"), std::string::npos)
      << recorder_.reasons["token-42"];
  EXPECT_TRUE(vault_.Has("someone-else", "token-42"));
}

TEST_F(DispatcherTest, AValueHeldUnderAnotherTokenIsARealConflict) {
  vault_.Store("value-7", "older-token");
  Run(100, 100);
  EXPECT_EQ(Count(RecordFate::kConflict), 1u);
  EXPECT_EQ(Count(RecordFate::kLoaded), 99u);
  EXPECT_NE(recorder_.reasons["token-7"].find("value under another token"), std::string::npos);
}

TEST_F(DispatcherTest, APoisonedRecordIsIsolatedBySplitting) {
  Run(300, 300, [&](const HttpRequest& request, const std::string& body) {
    std::string changed = body;
    const size_t at = changed.find("\"value-137\"");
    if (at != std::string::npos) changed.replace(at, 11, "\"poison137\"");
    return FakeAnswer{vault_.Handle(request, changed)};
  });
  EXPECT_EQ(Count(RecordFate::kLoaded), 299u);
  EXPECT_EQ(Count(RecordFate::kFailed), 1u);
  EXPECT_NE(recorder_.reasons["token-137"].find("HTTP 400: Invalid value"), std::string::npos)
      << recorder_.reasons["token-137"];
  // log2(300) levels of halves, two requests per level, plus the first.
  EXPECT_LE(recorder_.requests, 1u + 2u * 9u);
}

TEST_F(DispatcherTest, BatchEndpointSettlesEachRecordFromItsOwnAnswer) {
  insert_.api = InsertApi::kBatch;
  vault_.Store("someone-else", "token-3");
  Run(100, 100, [&](const HttpRequest& request, const std::string& body) {
    std::string changed = body;
    const size_t at = changed.find("\"value-9\"");
    if (at != std::string::npos) changed.replace(at, 9, "\"poison9\"");
    return FakeAnswer{vault_.Handle(request, changed)};
  });
  EXPECT_EQ(Count(RecordFate::kLoaded), 98u);
  EXPECT_EQ(Count(RecordFate::kConflict), 1u);
  EXPECT_EQ(Count(RecordFate::kFailed), 1u);
  // No splitting: one insert, then one lookup round for the conflict.
  EXPECT_EQ(recorder_.requests - recorder_.lookups, 1u);
}

TEST_F(DispatcherTest, UnauthenticatedStopsTheRunAndLeavesTheRestUnsent) {
  Run(1000, 100, [&](const HttpRequest&, const std::string&) {
    return FakeAnswer{Answer(401, R"({"error":{"message":"Token expired"}})")};
  });
  EXPECT_EQ(status_.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(Count(RecordFate::kUnsent), 1000u);
  EXPECT_LE(recorder_.requests, 4u);
}

TEST_F(DispatcherTest, AdaptiveLimitStaysUnderTheCeiling) {
  AdaptiveConcurrencyOptions adaptive;
  adaptive.ceiling = 6;
  Run(20000, 100, {}, std::make_unique<AdaptiveConcurrency>(adaptive));
  EXPECT_EQ(Count(RecordFate::kLoaded), 20000u);
  EXPECT_EQ(transport_->in_flight_peak(), 6u);
}

// A vault with a token-bucket rate limit (records/s, one second of burst)
// that answers 429 with the whole seconds until enough tokens are back, as
// the emulator does.
class RateLimitedVault {
 public:
  RateLimitedVault(FakeClock* clock, double rate) : clock_(clock), rate_(rate), tokens_(rate) {}

  FakeAnswer operator()(const HttpRequest&, const std::string& body) {
    const double now = std::chrono::duration<double>(clock_->Now().time_since_epoch()).count();
    if (last_ > 0) tokens_ = std::min(rate_, tokens_ + (now - last_) * rate_);
    last_ = now;
    const double cost = static_cast<double>(std::count(body.begin(), body.end(), '{')) / 3;
    if (tokens_ < cost) {
      ++throttled;
      HttpResponse response = Answer(429, R"({"error":{"message":"rate limited"}})");
      response.retry_after = seconds(static_cast<int64_t>(std::ceil((cost - tokens_) / rate_)));
      return FakeAnswer{response, milliseconds(1)};
    }
    tokens_ -= cost;
    stored += static_cast<size_t>(cost);
    // The answer is all the dispatcher reads; storing a million records in
    // the fake vault would only slow the test (under sanitizers above all).
    return FakeAnswer{Answer(200, StoredAnswer(static_cast<size_t>(cost))), milliseconds(20)};
  }

  size_t throttled = 0;
  size_t stored = 0;

 private:
  const std::string& StoredAnswer(size_t records) {
    std::string& answer = answers_[records];
    if (answer.empty()) {
      answer = R"({"records":[)";
      for (size_t i = 0; i < records; ++i)
        answer += std::string(i ? "," : "") + R"({"skyflow_id":"id"})";
      answer += "]}";
    }
    return answer;
  }

  std::map<size_t, std::string> answers_;
  FakeClock* clock_;
  double rate_;
  double tokens_;
  double last_ = 0;
};

TEST_F(DispatcherTest, AdaptiveConcurrencyWithPacingRunsJustUnderARateLimit) {
  // The reference case, in simulated time: 50,000 records/s, 20 ms latency,
  // batches of 300, default settings (adaptive, ceiling 32).
  const double rate = 50000;
  RateLimitedVault limited(&clock_, rate);
  AdaptiveConcurrencyOptions adaptive;
  adaptive.ceiling = 32;
  const Clock::TimePoint start = clock_.Now();
  const size_t records = 600000;
  Run(records, 300, std::ref(limited), std::make_unique<AdaptiveConcurrency>(adaptive));
  const double seconds_taken = std::chrono::duration<double>(clock_.Now() - start).count();
  // The bucket starts full: one second of burst is not the vault's rate.
  const double achieved = (static_cast<double>(records) - rate) / seconds_taken;
  std::printf("simulated: %.0f records/s (%.1f%% of the limit), %zu of %zu requests answered 429\n",
              achieved, 100 * achieved / rate, limited.throttled, recorder_.requests);
  EXPECT_EQ(Count(RecordFate::kLoaded), records);
  EXPECT_EQ(Count(RecordFate::kFailed), 0u);
  EXPECT_GE(achieved, 0.9 * rate) << seconds_taken << " s";
  const double throttled_share =
      static_cast<double>(limited.throttled) / static_cast<double>(recorder_.requests);
  EXPECT_LE(throttled_share, 0.05) << limited.throttled << " of " << recorder_.requests;
}

// Regression: sparse 429s (one request in 33, Retry-After 1 s) with no rate
// limit behind them once made the pacer read each pause as a lower limit,
// until the load crawled (16 times slower than without pacing).
TEST_F(DispatcherTest, SparseThrottlingDoesNotStarveAnAdaptiveLoad) {
  int calls = 0;
  AdaptiveConcurrencyOptions adaptive;
  adaptive.ceiling = 32;
  const Clock::TimePoint start = clock_.Now();
  Run(
      150000, 300,
      [&](const HttpRequest& request, const std::string& body) {
        if (++calls % 33 == 0) {
          HttpResponse response = Answer(429, R"({"error":{"message":"slow down"}})");
          response.retry_after = seconds(1);
          return FakeAnswer{response, milliseconds(2)};
        }
        return FakeAnswer{vault_.Handle(request, body)};
      },
      std::make_unique<AdaptiveConcurrency>(adaptive));
  const double took = std::chrono::duration<double>(clock_.Now() - start).count();
  EXPECT_EQ(Count(RecordFate::kLoaded), 150000u);
  // Every 33rd request pauses the lane for 1 s: a fixed concurrency of 32
  // takes 32 s of simulated time here. Pacing may cost a little more, not
  // a multiple.
  EXPECT_LE(took, 40.0) << recorder_.requests << " requests";
  std::printf("simulated: %.1f s for 150,000 records with a 429 in every 33 requests\n", took);
}

TEST_F(DispatcherTest, FixedHighConcurrencyUnderARateLimitLosesNothing) {
  RateLimitedVault limited(&clock_, 50000);
  Run(150000, 300, std::ref(limited), std::make_unique<FixedConcurrency>(256));
  EXPECT_EQ(Count(RecordFate::kLoaded), 150000u);
  EXPECT_EQ(Count(RecordFate::kFailed), 0u);
}

}  // namespace
}  // namespace skyflow
