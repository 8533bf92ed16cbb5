// Dispatcher: sends every vault's batches to the vault API from one event
// loop, keeping up to `concurrency` requests in flight per vault, retrying
// what may succeed later and reporting the final outcome of every batch.
//
// Each vault is a lane: an input queue filled by a producer thread, a slot
// count, and a queue of batches waiting for their retry time. Retries go
// before new batches so that a slow vault does not pile up records in memory.
// A lane stops early when its vault does not exist (404); every lane stops
// when credentials are rejected (401/403) or when the run is interrupted.
// Batches that were never answered when a lane stops are reported as
// abandoned, so that accounting always adds up.
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
#include <random>
#include <string>
#include <vector>

#include "net/http_loop.h"
#include "net/retry_policy.h"
#include "pipeline/batch.h"
#include "pipeline/bounded_queue.h"
#include "util/status.h"
#include "vault/insert_outcome.h"

namespace skyflow {

struct LaneOptions {
  std::string vault_name;
  std::string url;
  size_t concurrency = 32;
  // -base-delay-ms: a slot rests this long after each answer before it sends
  // again, like each of the Go loader's workers.
  std::chrono::milliseconds base_delay{0};
};

struct DispatcherOptions {
  std::vector<std::string> headers;  // Authorization, Content-Type, ...
  std::chrono::milliseconds request_timeout{60000};
  RetryPolicy retry{5, std::chrono::milliseconds(250), std::chrono::milliseconds(30000)};
  uint64_t seed = 1;
};

// Receives what happens to batches; every batch ends in exactly one of
// OnFinished or OnAbandoned.
class DispatchObserver {
 public:
  virtual ~DispatchObserver() = default;
  // After each answered or failed request; `will_retry` when it goes again.
  virtual void OnAttempt(const Batch& batch, const InsertOutcome& outcome, bool will_retry) = 0;
  // Final: loaded, or failed for good (conflict, rejected, retries exhausted).
  virtual void OnFinished(Batch&& batch, const InsertOutcome& outcome) = 0;
  // Never answered because its lane stopped; `why` says what stopped it.
  virtual void OnAbandoned(Batch&& batch, const std::string& why) = 0;
};

class Dispatcher {
 public:
  Dispatcher(HttpLoop* loop, DispatcherOptions options, DispatchObserver* observer);
  ~Dispatcher();

  // Registers a vault; returns its lane index (the Batch::lane its producer
  // must set). Must be called before Run().
  size_t AddLane(const LaneOptions& options, BoundedQueue<Batch>* input);

  // Runs until every lane is drained and idle, or stopped. Returns the error
  // that stopped the whole run (credentials rejected, interrupted), else ok.
  // `on_tick`, if set, runs on this thread about every `tick_interval`
  // (live progress).
  Status Run(const std::atomic<bool>& interrupted, const std::function<void()>& on_tick = {},
             std::chrono::milliseconds tick_interval = std::chrono::seconds(5));

  // Why a lane stopped before its input was done (ok if it did not).
  const Status& LaneStatus(size_t lane) const;

  // Requests in flight for a lane right now (for live progress).
  size_t InFlight(size_t lane) const;

 private:
  struct Lane;
  using Clock = std::chrono::steady_clock;

  void FillSlots(Lane& lane, Clock::time_point now);
  void Send(Lane& lane, Batch batch);
  void OnResponse(size_t lane_index, Batch batch, HttpResponse&& response);
  void StopLane(Lane& lane, const Status& why);
  // A failure no request can get past (credentials, an untrusted server):
  // `batch` is abandoned, every lane stops, the run ends with `why`.
  void StopRun(Batch batch, const Status& why);
  bool LaneIdle(const Lane& lane) const;
  std::chrono::milliseconds NextWakeup(Clock::time_point now) const;

  HttpLoop* loop_;
  DispatcherOptions options_;
  DispatchObserver* observer_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::mt19937_64 rng_;
  Status run_status_;
};

}  // namespace skyflow
