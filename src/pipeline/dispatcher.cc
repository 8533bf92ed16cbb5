#include "pipeline/dispatcher.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <queue>

namespace skyflow {

struct Dispatcher::Lane {
  size_t index = 0;
  LaneOptions options;
  BoundedQueue<Batch>* input = nullptr;
  size_t in_flight = 0;
  // Slots resting after an answer (-base-delay-ms), by the time they free up.
  std::priority_queue<Clock::time_point, std::vector<Clock::time_point>, std::greater<>> resting;
  // Batches waiting to be resent, by due time.
  struct Retry {
    Clock::time_point due;
    Batch batch;
  };
  std::deque<Retry> retries;  // kept sorted by due
  bool stopped = false;
  Status stop_reason;
};

Dispatcher::Dispatcher(HttpLoop* loop, DispatcherOptions options, DispatchObserver* observer)
    : loop_(loop), options_(std::move(options)), observer_(observer), rng_(options_.seed) {}

Dispatcher::~Dispatcher() = default;

size_t Dispatcher::AddLane(const LaneOptions& options, BoundedQueue<Batch>* input) {
  auto lane = std::make_unique<Lane>();
  lane->index = lanes_.size();
  lane->options = options;
  lane->options.concurrency = std::max<size_t>(1, options.concurrency);
  lane->input = input;
  input->SetOnReady([loop = loop_] { loop->Wakeup(); });
  lanes_.push_back(std::move(lane));
  return lanes_.back()->index;
}

const Status& Dispatcher::LaneStatus(size_t lane) const {
  return lanes_.at(lane)->stop_reason;
}

size_t Dispatcher::InFlight(size_t lane) const {
  return lanes_.at(lane)->in_flight;
}

void Dispatcher::Send(Lane& lane, Batch batch) {
  ++batch.attempts;
  ++lane.in_flight;
  // The batch is kept on the heap for the request's lifetime: the body is sent
  // from its buffer without a copy.
  auto in_flight = std::make_shared<Batch>(std::move(batch));
  HttpRequest request;
  request.url = lane.options.url;
  request.headers = options_.headers;
  request.timeout = options_.request_timeout;
  request.body = in_flight->body;
  const size_t lane_index = lane.index;
  loop_->Post(std::move(request), [this, lane_index, in_flight](HttpResponse&& response) {
    OnResponse(lane_index, std::move(*in_flight), std::move(response));
  });
}

void Dispatcher::FillSlots(Lane& lane, Clock::time_point now) {
  while (!lane.resting.empty() && lane.resting.top() <= now)
    lane.resting.pop();
  while (!lane.stopped && lane.in_flight + lane.resting.size() < lane.options.concurrency) {
    if (!lane.retries.empty() && lane.retries.front().due <= now) {
      Batch batch = std::move(lane.retries.front().batch);
      lane.retries.pop_front();
      Send(lane, std::move(batch));
      continue;
    }
    std::optional<Batch> next = lane.input->TryPop();
    if (!next) break;
    Send(lane, std::move(*next));
  }
}

void Dispatcher::OnResponse(size_t lane_index, Batch batch, HttpResponse&& response) {
  Lane& lane = *lanes_[lane_index];
  --lane.in_flight;
  if (lane.options.base_delay.count() > 0) {
    lane.resting.push(Clock::now() + lane.options.base_delay);
  }
  const InsertOutcome outcome = ClassifyInsertResponse(response, batch.records.size());

  switch (outcome.kind) {
    case OutcomeKind::kRetryable: {
      const bool will_retry = !lane.stopped && options_.retry.MayRetry(batch.attempts);
      observer_->OnAttempt(batch, outcome, will_retry);
      if (!will_retry) {
        if (lane.stopped) {
          observer_->OnAbandoned(std::move(batch), lane.stop_reason.message());
        } else {
          observer_->OnFinished(std::move(batch), outcome);
        }
        return;
      }
      const auto delay = options_.retry.DelayBefore(batch.attempts, outcome.retry_after, rng_);
      Lane::Retry retry{Clock::now() + delay, std::move(batch)};
      auto position = std::upper_bound(
          lane.retries.begin(), lane.retries.end(), retry.due,
          [](Clock::time_point due, const Lane::Retry& other) { return due < other.due; });
      lane.retries.insert(position, std::move(retry));
      return;
    }
    case OutcomeKind::kUnauthenticated: {
      observer_->OnAttempt(batch, outcome, false);
      const Status why = Status::Unauthenticated(
          "vault " + lane.options.vault_name + " rejected the credentials (" + outcome.reason +
          "); check -token, SKYFLOW_BEARER_TOKEN or skyflow.bearer_token: the token may be "
          "expired or lack access to this vault");
      StopRun(std::move(batch), why);
      return;
    }
    case OutcomeKind::kUntrustedServer: {
      observer_->OnAttempt(batch, outcome, false);
      // The server could not prove who it is: as fatal as our credentials
      // being refused.
      const Status why = Status::Unauthenticated(
          "vault " + lane.options.vault_name + " at " + lane.options.url +
          ": the server's TLS certificate is not trusted (" + outcome.reason +
          "); if it is issued by a private CA, give that CA's certificate with -ca-file PATH "
          "(PEM)");
      StopRun(std::move(batch), why);
      return;
    }
    case OutcomeKind::kVaultMissing: {
      observer_->OnAttempt(batch, outcome, false);
      const Status why = Status::NotFound(
          "vault " + lane.options.vault_name + " answered 404 at " + lane.options.url + " (" +
          outcome.reason + "); check the vault id, the table/column name and -vault-url");
      observer_->OnAbandoned(std::move(batch), why.message());
      StopLane(lane, why);
      return;
    }
    case OutcomeKind::kLoaded:
    case OutcomeKind::kConflict:
    case OutcomeKind::kRejected:
      observer_->OnAttempt(batch, outcome, false);
      observer_->OnFinished(std::move(batch), outcome);
      return;
  }
}

void Dispatcher::StopRun(Batch batch, const Status& why) {
  if (run_status_.ok()) run_status_ = why;
  observer_->OnAbandoned(std::move(batch), why.message());
  for (auto& other : lanes_)
    StopLane(*other, why);
}

void Dispatcher::StopLane(Lane& lane, const Status& why) {
  if (lane.stopped) return;
  lane.stopped = true;
  lane.stop_reason = why;
  lane.input->Cancel();
  for (auto& retry : lane.retries)
    observer_->OnAbandoned(std::move(retry.batch), why.message());
  lane.retries.clear();
  while (std::optional<Batch> batch = lane.input->TryPop()) {
    observer_->OnAbandoned(std::move(*batch), why.message());
  }
}

bool Dispatcher::LaneIdle(const Lane& lane) const {
  if (lane.in_flight > 0 || !lane.retries.empty()) return false;
  return lane.stopped || lane.input->Drained();
}

std::chrono::milliseconds Dispatcher::NextWakeup(Clock::time_point now) const {
  // Producers and the network wake the loop themselves; timers are ours.
  auto wake = now + std::chrono::milliseconds(100);
  for (const auto& lane : lanes_) {
    if (!lane->retries.empty()) wake = std::min(wake, lane->retries.front().due);
    if (!lane->resting.empty()) wake = std::min(wake, lane->resting.top());
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      std::max(wake - now, Clock::duration::zero()));
}

Status Dispatcher::Run(const std::atomic<bool>& interrupted, const std::function<void()>& on_tick,
                       std::chrono::milliseconds tick_interval) {
  auto next_tick = Clock::now() + tick_interval;
  while (true) {
    if (interrupted.load(std::memory_order_relaxed) && run_status_.ok()) {
      run_status_ = Status::Cancelled(
          "interrupted: requests in flight were allowed to finish, nothing else was sent");
      for (auto& lane : lanes_)
        StopLane(*lane, run_status_);
    }
    const auto now = Clock::now();
    bool all_idle = true;
    for (auto& lane : lanes_) {
      FillSlots(*lane, now);
      all_idle = all_idle && LaneIdle(*lane);
    }
    // Producers that were cancelled may have been mid-Push; anything they
    // managed to queue is reported by StopLane, nothing else can arrive.
    if (all_idle) break;
    if (on_tick && now >= next_tick) {
      on_tick();
      next_tick = now + tick_interval;
    }
    loop_->Poll(NextWakeup(now));
  }
  return run_status_;
}

}  // namespace skyflow
