#include "pipeline/dispatcher.h"

#include <algorithm>
#include <map>
#include <queue>

#include "net/rate_pacer.h"
#include "util/log.h"
#include "util/redact.h"

namespace skyflow {
namespace {

std::string DescribeDuration(std::chrono::milliseconds duration) {
  const auto seconds = duration.count() / 1000;
  if (seconds >= 60)
    return std::to_string(seconds / 60) + " min " + std::to_string(seconds % 60) + " s";
  return std::to_string(duration.count()) + " ms";
}

constexpr size_t kWaitingTasksThatNeverStopInput = 8;

int64_t Milliseconds(Clock::Duration duration) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
}

// -v: a change of the lane's concurrency limit. The adaptive limiter
// decides once per window of about a round trip (net/adaptive_concurrency.h).
void LogLimitChange(const std::string& vault, size_t before, size_t after) {
  LogDebug("vault " + vault + ": concurrency limit " + std::to_string(before) + " -> " +
               std::to_string(after) +
               (after > before ? " (answers kept up in the last round trip)"
                               : " (back-pressure or slower answers in the last round trip)"),
           {{"vault", vault}, {"limit", after}, {"previous_limit", before}});
}

LoadSignal SignalOf(const VaultAnswer& answer) {
  switch (answer.kind) {
    case AnswerKind::kThrottled:
      return LoadSignal::kBackPressure;
    case AnswerKind::kTransient:
      return answer.timed_out ? LoadSignal::kBackPressure : LoadSignal::kNoSignal;
    case AnswerKind::kUntrustedServer:
      return LoadSignal::kNoSignal;
    default:
      return LoadSignal::kHealthy;
  }
}

}  // namespace

struct Dispatcher::Lane {
  size_t index = 0;
  LaneOptions options;
  std::unique_ptr<VaultProtocol> protocol;
  BoundedQueue<Batch>* input = nullptr;
  size_t in_flight = 0;
  // Slots resting after an answer (-base-delay-ms), by the time they free up.
  std::priority_queue<TimePoint, std::vector<TimePoint>, std::greater<>> resting;
  // Tasks waiting to be sent, by due time.
  std::multimap<TimePoint, Task> waiting;
  // No new request before this (Retry-After, throttling backoff).
  TimePoint paused_until{};
  int throttle_streak = 0;
  RatePacer pacer;
  bool stopped = false;
  Status stop_reason;
  // Concurrency statistics: the limit integrated over time with work.
  TimePoint sampled_at{};
  bool sampled = false;
  double limit_seconds = 0;
  double busy_seconds = 0;
  size_t peak_limit = 0;
};

Dispatcher::Dispatcher(HttpTransport* transport, Clock* clock, DispatcherOptions options,
                       DispatchObserver* observer)
    : transport_(transport),
      clock_(clock),
      options_(std::move(options)),
      observer_(observer),
      rng_(options_.seed) {}

Dispatcher::~Dispatcher() = default;

size_t Dispatcher::AddLane(LaneOptions options, BoundedQueue<Batch>* input) {
  auto lane = std::make_unique<Lane>();
  lane->index = lanes_.size();
  if (!options.limiter) options.limiter = std::make_unique<FixedConcurrency>(1);
  lane->protocol = std::make_unique<VaultProtocol>(options.endpoint);
  lane->options = std::move(options);
  lane->input = input;
  input->SetOnReady([transport = transport_] { transport->Wakeup(); });
  lanes_.push_back(std::move(lane));
  return lanes_.back()->index;
}

const Status& Dispatcher::LaneStatus(size_t lane) const {
  return lanes_.at(lane)->stop_reason;
}

LaneConcurrency Dispatcher::Concurrency(size_t lane_index) const {
  const Lane& lane = *lanes_.at(lane_index);
  LaneConcurrency concurrency;
  concurrency.in_flight = lane.in_flight;
  concurrency.limit = lane.options.limiter->Limit();
  concurrency.peak_limit = std::max(lane.peak_limit, concurrency.limit);
  concurrency.average_limit = lane.busy_seconds > 0 ? lane.limit_seconds / lane.busy_seconds
                                                    : static_cast<double>(concurrency.limit);
  return concurrency;
}

void Dispatcher::SampleConcurrency(Lane& lane, TimePoint now) {
  const size_t limit = lane.options.limiter->Limit();
  lane.peak_limit = std::max(lane.peak_limit, limit);
  if (lane.sampled && lane.in_flight > 0) {
    const double seconds = std::chrono::duration<double>(now - lane.sampled_at).count();
    lane.busy_seconds += seconds;
    lane.limit_seconds += seconds * static_cast<double>(limit);
  }
  lane.sampled = true;
  lane.sampled_at = now;
}

bool Dispatcher::NextTask(Lane& lane, TimePoint now, Task* task) {
  if (!lane.waiting.empty() && lane.waiting.begin()->first <= now) {
    *task = std::move(lane.waiting.begin()->second);
    lane.waiting.erase(lane.waiting.begin());
    return true;
  }
  // Waiting tasks hold records too: while many wait, the producer waits. A
  // few may always wait, so that one batch backing off after a server error
  // does not idle a lane whose limit has come down to one.
  const size_t most_waiting =
      std::max(lane.options.limiter->Limit(), kWaitingTasksThatNeverStopInput);
  if (lane.waiting.size() >= most_waiting) return false;
  std::optional<Batch> batch = lane.input->TryPop();
  if (!batch) return false;
  task->kind = TaskKind::kInsert;
  task->batch = batch->number;
  task->records = std::move(batch->records);
  task->body = std::move(batch->body);
  task->deadline = now + options_.max_retry_time;
  return true;
}

void Dispatcher::FillSlots(Lane& lane, TimePoint now) {
  while (!lane.resting.empty() && lane.resting.top() <= now)
    lane.resting.pop();
  if (lane.stopped || now < lane.paused_until) return;
  while (lane.in_flight + lane.resting.size() < lane.options.limiter->Limit()) {
    if (lane.options.pace_on_throttle && lane.pacer.NextSend() > now) return;
    Task task;
    if (!NextTask(lane, now, &task)) return;
    Send(lane, std::move(task), now);
  }
}

void Dispatcher::Send(Lane& lane, Task task, TimePoint now) {
  SampleConcurrency(lane, now);
  ++task.sends;
  ++lane.in_flight;
  lane.options.limiter->OnSend(now, lane.in_flight);
  if (lane.options.pace_on_throttle) {
    lane.pacer.OnSend(now, static_cast<double>(task.records.size()));
  }
  // The task stays on the heap for the request's lifetime: the body is sent
  // from its buffer without a copy.
  auto in_flight = std::make_shared<Task>(std::move(task));
  HttpRequest request = lane.protocol->RequestFor(*in_flight);
  request.headers = options_.headers;
  request.timeout = options_.request_timeout;
  const size_t lane_index = lane.index;
  transport_->Send(std::move(request), [this, lane_index, in_flight](HttpResponse&& response) {
    OnResponse(lane_index, std::move(*in_flight), std::move(response));
  });
}

void Dispatcher::OnResponse(size_t lane_index, Task task, HttpResponse&& response) {
  Lane& lane = *lanes_[lane_index];
  const TimePoint now = clock_->Now();
  SampleConcurrency(lane, now);
  --lane.in_flight;
  if (lane.options.base_delay.count() > 0) lane.resting.push(now + lane.options.base_delay);

  if (!options_.secrets.empty()) {
    response.body = ScrubSecrets(std::move(response.body), options_.secrets);
  }
  const std::string& vault = lane.options.endpoint.vault_name;
  if (response.new_connections > 0 && LogEnabled(LogLevel::kDebug)) {
    LogDebug("vault " + vault + ": new connection" +
                 (response.peer.empty() ? std::string() : " to " + response.peer) + ", HTTP/" +
                 response.http_version,
             {{"vault", vault}, {"peer", response.peer}, {"http_version", response.http_version}});
  }
  Verdict verdict = lane.protocol->Interpret(task, response);
  const size_t limit_before = lane.options.limiter->Limit();
  lane.options.limiter->OnAnswer(now, response.elapsed, SignalOf(verdict.answer));
  if (const size_t limit = lane.options.limiter->Limit();
      limit != limit_before && LogEnabled(LogLevel::kDebug)) {
    LogLimitChange(vault, limit_before, limit);
  }
  if (verdict.records_stored > 0) {
    lane.pacer.OnAccepted(static_cast<double>(verdict.records_stored));
  }
  if (verdict.answer.kind != AnswerKind::kThrottled) lane.throttle_streak = 0;

  RequestReport report;
  report.task = task.kind;
  report.answer = verdict.answer.kind;
  report.http_status = verdict.answer.http_status;
  report.latency = response.elapsed;
  report.resent = verdict.then == Verdict::Then::kResend && !lane.stopped;
  observer_->OnRequest(lane.index, report);

  for (SettledRecords& settled : verdict.settled)
    observer_->OnSettled(lane.index, std::move(settled));

  switch (verdict.then) {
    case Verdict::Then::kSettled:
      for (Task& follow_up : verdict.follow_ups) {
        if (lane.stopped) {
          Abandon(lane, std::move(follow_up.records), follow_up.batch, lane.stop_reason.message());
          continue;
        }
        if (follow_up.transient_failures >= options_.retry.max_attempts()) {
          // The reason first: the order in which arguments are evaluated is
          // unspecified, and the task is moved into its parameter.
          std::string reason = "gave up after " + std::to_string(follow_up.transient_failures) +
                               " attempts: " + follow_up.last_error;
          GiveUp(lane, std::move(follow_up), std::move(reason));
          continue;
        }
        // A new task is progress: its clock starts again.
        follow_up.deadline = now + options_.max_retry_time;
        Schedule(lane, std::move(follow_up), now);
      }
      return;
    case Verdict::Then::kResend:
      Resend(lane, std::move(task), verdict.answer, now);
      return;
    case Verdict::Then::kStopLane:
      Abandon(lane, std::move(task.records), task.batch, verdict.stop.message());
      StopLane(lane, verdict.stop);
      return;
    case Verdict::Then::kStopRun:
      Abandon(lane, std::move(task.records), task.batch, verdict.stop.message());
      StopRun(verdict.stop);
      return;
  }
}

void Dispatcher::Resend(Lane& lane, Task task, const VaultAnswer& answer, TimePoint now) {
  task.last_error = answer.reason;
  task.last_status = answer.http_status;
  task.last_request_id = answer.request_id;
  if (lane.stopped) {
    Abandon(lane, std::move(task.records), task.batch, lane.stop_reason.message());
    return;
  }
  if (now >= task.deadline) {
    GiveUp(lane, std::move(task),
           "gave up after " + DescribeDuration(options_.max_retry_time) +
               " without progress (-max-retry-time): " + answer.reason);
    return;
  }
  if (answer.kind == AnswerKind::kThrottled) {
    // Back-pressure concerns the vault, not this request: every new request
    // of the lane waits, and no attempt is used up.
    ++lane.throttle_streak;
    const Clock::Duration pause =
        answer.retry_after
            ? Clock::Duration(*answer.retry_after)
            : Clock::Duration(options_.retry.DelayBefore(lane.throttle_streak, std::nullopt, rng_));
    lane.paused_until = std::max(lane.paused_until, now + pause);
    if (lane.options.pace_on_throttle && answer.http_status == 429) {
      lane.pacer.OnThrottled(now, lane.paused_until);
    }
    if (LogEnabled(LogLevel::kDebug)) {
      const std::string& vault = lane.options.endpoint.vault_name;
      LogDebug("vault " + vault + ": batch " + std::to_string(task.batch) + ": " + answer.reason +
                   "; the vault's requests wait " +
                   DescribeDuration(std::chrono::duration_cast<std::chrono::milliseconds>(pause)) +
                   (answer.retry_after ? " (Retry-After)" : " (backoff)") + ", no attempt used up",
               {{"vault", vault},
                {"batch", task.batch},
                {"status", answer.http_status},
                {"request_id", answer.request_id},
                {"attempts", task.sends},
                {"delay_ms", Milliseconds(pause)}});
    }
    Schedule(lane, std::move(task), lane.paused_until);
    return;
  }
  ++task.transient_failures;
  if (task.transient_failures >= options_.retry.max_attempts()) {
    std::string reason =
        "gave up after " + std::to_string(task.transient_failures) + " attempts: " + answer.reason;
    GiveUp(lane, std::move(task), std::move(reason));
    return;
  }
  const auto delay = options_.retry.DelayBefore(task.transient_failures, answer.retry_after, rng_);
  if (LogEnabled(LogLevel::kDebug)) {
    const std::string& vault = lane.options.endpoint.vault_name;
    LogDebug("vault " + vault + ": batch " + std::to_string(task.batch) + ": " + answer.reason +
                 "; attempt " + std::to_string(task.transient_failures) + " of " +
                 std::to_string(options_.retry.max_attempts()) + " failed, retry in " +
                 DescribeDuration(std::chrono::duration_cast<std::chrono::milliseconds>(delay)),
             {{"vault", vault},
              {"batch", task.batch},
              {"status", answer.http_status},
              {"request_id", answer.request_id},
              {"attempts", task.sends},
              {"delay_ms", Milliseconds(delay)}});
  }
  Schedule(lane, std::move(task), now + delay);
}

void Dispatcher::Schedule(Lane& lane, Task task, TimePoint due) {
  lane.waiting.emplace(due, std::move(task));
}

void Dispatcher::GiveUp(Lane& lane, Task task, std::string reason) {
  const std::string& vault = lane.options.endpoint.vault_name;
  LogWarn("vault " + vault + ": batch " + std::to_string(task.batch) + ": " +
              std::to_string(task.records.size()) + " records failed: " + reason,
          {{"vault", vault},
           {"batch", task.batch},
           {"status", task.last_status},
           {"request_id", task.last_request_id},
           {"attempts", task.sends},
           {"records", task.records.size()}});
  SettledRecords settled;
  settled.fate = RecordFate::kFailed;
  settled.batch = task.batch;
  settled.records = std::move(task.records);
  settled.reason = std::move(reason);
  settled.http_status = task.last_status;
  settled.request_id = task.last_request_id;
  settled.attempts = task.sends;
  observer_->OnSettled(lane.index, std::move(settled));
}

void Dispatcher::Abandon(Lane& lane, std::vector<Record> records, uint64_t batch,
                         const std::string& why) {
  if (records.empty()) return;
  SettledRecords settled;
  settled.fate = RecordFate::kUnsent;
  settled.batch = batch;
  settled.records = std::move(records);
  settled.reason = why;
  observer_->OnSettled(lane.index, std::move(settled));
}

void Dispatcher::StopRun(const Status& why) {
  if (run_status_.ok()) run_status_ = why;
  for (auto& lane : lanes_)
    StopLane(*lane, why);
}

void Dispatcher::StopLane(Lane& lane, const Status& why) {
  if (lane.stopped) return;
  lane.stopped = true;
  lane.stop_reason = why;
  lane.input->Cancel();
  for (auto& [due, task] : lane.waiting)
    Abandon(lane, std::move(task.records), task.batch, why.message());
  lane.waiting.clear();
  while (std::optional<Batch> batch = lane.input->TryPop()) {
    Abandon(lane, std::move(batch->records), batch->number, why.message());
  }
}

bool Dispatcher::LaneIdle(const Lane& lane) const {
  if (lane.in_flight > 0 || !lane.waiting.empty()) return false;
  return lane.stopped || lane.input->Drained();
}

std::chrono::milliseconds Dispatcher::NextWakeup(TimePoint now) const {
  // Producers and the network wake the loop themselves; timers are ours.
  TimePoint wake = now + std::chrono::milliseconds(100);
  for (const auto& lane : lanes_) {
    if (lane->stopped) continue;
    TimePoint gate = lane->paused_until;
    if (lane->options.pace_on_throttle) gate = std::max(gate, lane->pacer.NextSend());
    if (gate > now) {
      wake = std::min(wake, gate);  // nothing of this lane goes before
      continue;
    }
    if (!lane->waiting.empty()) wake = std::min(wake, lane->waiting.begin()->first);
    if (!lane->resting.empty()) wake = std::min(wake, lane->resting.top());
  }
  if (drain_deadline_) wake = std::min(wake, *drain_deadline_);
  // Round up: waking a hair early would only spin.
  const auto wait = std::chrono::ceil<std::chrono::milliseconds>(wake - now);
  return std::max(wait, std::chrono::milliseconds(0));
}

Status Dispatcher::Run(const std::atomic<bool>& interrupted, const std::function<void()>& on_tick,
                       std::chrono::milliseconds tick_interval) {
  TimePoint next_tick = clock_->Now() + tick_interval;
  while (true) {
    if (interrupted.load(std::memory_order_relaxed) && run_status_.ok()) {
      StopRun(Status::Cancelled(
          "interrupted: requests in flight were allowed to finish, nothing else was sent"));
      drain_deadline_ = clock_->Now() + options_.drain_timeout;
    }
    const TimePoint now = clock_->Now();
    if (drain_deadline_ && now >= *drain_deadline_) {
      drain_deadline_.reset();
      transport_->CancelAll("cancelled: still in flight after -drain-timeout");
    }
    bool all_idle = true;
    for (auto& lane : lanes_) {
      FillSlots(*lane, now);
      all_idle = all_idle && LaneIdle(*lane);
    }
    if (all_idle) break;
    if (on_tick && now >= next_tick) {
      on_tick();
      next_tick = now + tick_interval;
    }
    transport_->Poll(NextWakeup(now));
  }
  return run_status_;
}

}  // namespace skyflow
