// Dispatcher: sends every vault's work to the vault API from one event loop
// and settles every record it is given.
//
// Each vault is a lane: an input queue filled by a producer thread, a
// concurrency limiter (fixed, or adaptive AIMD), a pacer that learns a rate
// limit from 429s, and the tasks waiting to go: resends, halves of refused
// batches, lookups. Waiting tasks go before new batches, and new batches are
// taken only while few tasks wait, so that a throttled vault stops its
// producer instead of piling records up in memory.
//
// What an answer means is the VaultProtocol's call; when to resend is ours:
//   429/503  back-pressure: the vault's new requests wait for Retry-After (or
//            a backoff), the limiter backs off; no attempt is used up, the
//            task gives up only after max_retry_time without progress;
//   408/5xx/network: backoff with jitter, at most max_attempts attempts.
// A lane stops when its vault does not exist (404); every lane stops when
// credentials are refused or the run is interrupted. Records not settled
// when their lane stops are reported unsent, so accounting always adds up.
//
// Threading: Run() and every observer callback execute on the calling
// thread. Producers only touch the lanes' BoundedQueues.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "net/clock.h"
#include "net/concurrency_limiter.h"
#include "net/http_transport.h"
#include "net/retry_policy.h"
#include "pipeline/batch.h"
#include "pipeline/bounded_queue.h"
#include "pipeline/record_fate.h"
#include "pipeline/task.h"
#include "pipeline/vault_protocol.h"
#include "util/status.h"

namespace skyflow {

struct LaneOptions {
  VaultEndpoint endpoint;
  std::unique_ptr<ConcurrencyLimiter> limiter;
  // Learn a rate limit from 429s and space sends accordingly.
  bool pace_on_throttle = true;
  // -base-delay-ms: a slot rests this long after each answer before it sends
  // again, like each of the Go loader's workers.
  std::chrono::milliseconds base_delay{0};
};

struct DispatcherOptions {
  std::vector<std::string> headers;  // Authorization, Content-Type, ...
  std::chrono::milliseconds request_timeout{60000};
  RetryPolicy retry{5, std::chrono::milliseconds(250), std::chrono::milliseconds(30000)};
  std::chrono::milliseconds max_retry_time{std::chrono::minutes(30)};
  uint64_t seed = 1;
  // Secrets the requests carry (the bearer token): scrubbed from every
  // answer before it is read, for a server or proxy may echo them back.
  std::vector<std::string> secrets{};
  // Once interrupted, requests in flight may finish for this long; then they
  // are cancelled and their records reported unsent.
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(30)};
};

// One request's answer, for statistics.
struct RequestReport {
  TaskKind task = TaskKind::kInsert;
  AnswerKind answer = AnswerKind::kSuccess;
  long http_status = 0;
  Clock::Duration latency{};
  bool resent = false;  // the same task goes again
};

class DispatchObserver {
 public:
  virtual ~DispatchObserver() = default;
  virtual void OnRequest(size_t lane, const RequestReport& report) = 0;
  // Every record given to the dispatcher is settled exactly once.
  virtual void OnSettled(size_t lane, SettledRecords&& settled) = 0;
};

// A lane's concurrency, for progress lines and summaries.
struct LaneConcurrency {
  size_t in_flight = 0;
  size_t limit = 0;          // in force now
  size_t peak_limit = 0;     // highest so far
  double average_limit = 0;  // over the time the lane had work
};

class Dispatcher {
 public:
  Dispatcher(HttpTransport* transport, Clock* clock, DispatcherOptions options,
             DispatchObserver* observer);
  ~Dispatcher();

  // Registers a vault; returns its lane index (the Batch::lane its producer
  // must set). Must be called before Run().
  size_t AddLane(LaneOptions options, BoundedQueue<Batch>* input);

  // Runs until every lane is drained and idle, or stopped. Returns the error
  // that stopped the whole run (credentials rejected, interrupted), else ok.
  // `on_tick`, if set, runs on this thread about every `tick_interval`.
  Status Run(const std::atomic<bool>& interrupted, const std::function<void()>& on_tick = {},
             std::chrono::milliseconds tick_interval = std::chrono::seconds(5));

  // Why a lane stopped before its input was done (ok if it did not).
  const Status& LaneStatus(size_t lane) const;
  LaneConcurrency Concurrency(size_t lane) const;

 private:
  struct Lane;
  using TimePoint = Clock::TimePoint;

  void FillSlots(Lane& lane, TimePoint now);
  bool NextTask(Lane& lane, TimePoint now, Task* task);
  void Send(Lane& lane, Task task, TimePoint now);
  void OnResponse(size_t lane_index, Task task, HttpResponse&& response);
  void Resend(Lane& lane, Task task, const VaultAnswer& answer, TimePoint now);
  void Schedule(Lane& lane, Task task, TimePoint due);
  void GiveUp(Lane& lane, Task task, std::string reason);
  void Abandon(Lane& lane, std::vector<Record> records, uint64_t batch, const std::string& why);
  void StopLane(Lane& lane, const Status& why);
  void StopRun(const Status& why);
  bool LaneIdle(const Lane& lane) const;
  void SampleConcurrency(Lane& lane, TimePoint now);
  std::chrono::milliseconds NextWakeup(TimePoint now) const;

  HttpTransport* transport_;
  Clock* clock_;
  DispatcherOptions options_;
  DispatchObserver* observer_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::mt19937_64 rng_;
  Status run_status_;
  std::optional<TimePoint> drain_deadline_;
};

}  // namespace skyflow
