#include "pipeline/run_load.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "net/adaptive_concurrency.h"
#include "pipeline/batcher.h"
#include "pipeline/bounded_queue.h"
#include "pipeline/checkpoint_journal.h"
#include "pipeline/checkpoint_tracker.h"
#include "pipeline/dispatcher.h"
#include "pipeline/error_log.h"
#include "pipeline/load_accounting.h"
#include "util/ascii.h"
#include "util/duration.h"
#include "util/log.h"
#include "vault/insert_payload.h"

namespace skyflow {
namespace {

using SteadyTime = std::chrono::steady_clock;

constexpr char kUserAgent[] = "User-Agent: skyflow-byot-loader/0.1.0";

// One vault's producer: reads its source from the resume point, reports
// rejected rows to the error log, and tells the checkpoint tracker about every
// stretch of rows before its batch goes to the dispatcher.
struct Producer {
  RecordSource* source = nullptr;
  BatcherOptions options;
  Checkpoint resume_from;
  BoundedQueue<Batch>* queue = nullptr;
  VaultLoadResult* result = nullptr;
  ErrorLog* error_log = nullptr;
  CheckpointTracker* checkpoints = nullptr;

  void Run() {
    if (resume_from.next_sequence > 0 || !resume_from.cursor.empty()) {
      Status resumed = source->Resume(resume_from.next_sequence, resume_from.cursor);
      if (!resumed.ok()) {
        result->status = resumed;
        queue->Finish();
        return;
      }
    }
    Batcher batcher(source, options);
    VaultStats& stats = *result->stats;
    PublishSize(true);
    std::vector<RejectedRow> rejected;
    while (true) {
      Batch batch;
      bool done = false;
      rejected.clear();
      const auto started = SteadyTime::now();
      Status status = batcher.Next(&batch, &rejected, &done);
      stats.producer_micros.fetch_add(
          static_cast<uint64_t>(
              std::chrono::duration_cast<std::chrono::microseconds>(SteadyTime::now() - started)
                  .count()),
          std::memory_order_relaxed);
      stats.rows_read.store(batcher.rows_read(), std::memory_order_relaxed);
      PublishSize(false);
      if (done && status.ok()) stats.input_done.store(true, std::memory_order_relaxed);
      stats.rejected.fetch_add(rejected.size(), std::memory_order_relaxed);
      stats.records_read.fetch_add(batch.records.size(), std::memory_order_relaxed);
      if (Status written = error_log->AppendSourceRejects(rejected); !written.ok()) {
        status = written;
      }
      if (!status.ok()) {
        stats.unsent.fetch_add(batch.records.size(), std::memory_order_relaxed);
        result->status = status;
        break;
      }
      const uint64_t count = batch.records.size();
      if (count + rejected.size() > 0) {
        checkpoints->Read(count > 0 ? batch.number : 0, count, rejected.size(),
                          resume_from.next_sequence + batcher.rows_read(), source->Cursor());
      }
      if (count > 0 && !queue->Push(std::move(batch))) {
        stats.unsent.fetch_add(count, std::memory_order_relaxed);
        break;
      }
      if (done) break;
    }
    result->stopped_at_limit = batcher.stopped_at_limit();
    queue->Finish();
  }

  // For progress estimates: how far through its input the source is.
  void PublishSize(bool at_start) {
    const std::optional<SourceSize> size = source->SizeHint();
    if (!size) return;
    VaultStats& stats = *result->stats;
    if (at_start) stats.source_bytes_start.store(size->bytes_read, std::memory_order_relaxed);
    stats.source_bytes_read.store(size->bytes_read, std::memory_order_relaxed);
    stats.source_bytes_total.store(size->total_bytes, std::memory_order_relaxed);
  }
};

// Writes each vault's checkpoint to its journal once per interval, and once
// more at Stop(), from a thread of its own: the syncs never hold up the
// network thread.
class CheckpointWriter {
 public:
  struct Vault {
    std::string name;
    CheckpointTracker* tracker = nullptr;
    CheckpointJournal* journal = nullptr;  // null: nothing to write
    Status* status = nullptr;              // the first failure
  };

  CheckpointWriter(std::vector<Vault> vaults, std::chrono::milliseconds interval)
      : vaults_(std::move(vaults)), interval_(interval), thread_([this] { Loop(); }) {}

  ~CheckpointWriter() { Stop(); }

  void Stop() {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
    Flush();
  }

 private:
  void Loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, interval_, [this] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      Flush();
      lock.lock();
    }
  }

  void Flush() {
    for (Vault& vault : vaults_) {
      if (vault.journal == nullptr) continue;
      std::optional<Checkpoint> checkpoint = vault.tracker->TakeIfAdvanced();
      if (!checkpoint) continue;
      Status written = vault.journal->Append(*checkpoint);
      if (!written.ok() && vault.status->ok()) *vault.status = written;
      if (written.ok() && LogEnabled(LogLevel::kDebug)) {
        LogDebug("vault " + vault.name + ": checkpoint written: the first " +
                     std::to_string(checkpoint->next_sequence) + " rows are settled",
                 {{"vault", vault.name}, {"rows", checkpoint->next_sequence}});
      }
    }
  }

  std::vector<Vault> vaults_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

InsertOptions InsertOptionsFor(const VaultConfig& vault, const PerformanceConfig& performance) {
  InsertOptions insert;
  insert.column = vault.column;
  insert.table = vault.TableName();
  insert.upsert = performance.upsert;
  insert.api = AsciiLowered(performance.api) == "batch" ? InsertApi::kBatch : InsertApi::kTable;
  return insert;
}

std::unique_ptr<ConcurrencyLimiter> LimiterFor(const PerformanceConfig& performance) {
  const auto ceiling = static_cast<size_t>(std::max<int64_t>(1, performance.max_concurrency));
  if (AsciiLowered(performance.concurrency_mode) == "fixed") {
    return std::make_unique<FixedConcurrency>(ceiling);
  }
  AdaptiveConcurrencyOptions adaptive;
  adaptive.ceiling = ceiling;
  return std::make_unique<AdaptiveConcurrency>(adaptive);
}

}  // namespace

LoadResult RunLoad(const LoadOptions& options, std::vector<VaultLoadPlan> plans,
                   const std::atomic<bool>& interrupted, const LoadProgress& progress) {
  const auto start = SteadyTime::now();
  LoadResult result;
  result.concurrency_mode = AsciiLowered(options.performance.concurrency_mode);

  const size_t concurrency = static_cast<size_t>(options.performance.max_concurrency);
  HttpLoopOptions http = options.http;
  http.max_connections = static_cast<long>(concurrency * plans.size()) + 4;
  HttpLoop loop(http);
  if (LogEnabled(LogLevel::kDebug)) {
    LogDebug("vault API " + options.vault_url + ": at most " +
                 std::to_string(http.max_connections) + " connections, TLS certificates " +
                 (http.verify_tls ? "verified" : "NOT verified (-insecure)") +
                 (http.ca_file.empty() ? std::string() : ", extra CA file " + http.ca_file),
             {{"vault_url", options.vault_url}, {"max_connections", http.max_connections}});
  }

  DispatcherOptions dispatch;
  dispatch.headers = {"Authorization: Bearer " + options.bearer_token,
                      "Content-Type: application/json", "Accept: application/json", kUserAgent};
  dispatch.request_timeout = std::chrono::milliseconds(options.performance.request_timeout_ms);
  dispatch.retry = RetryPolicy(static_cast<int>(options.performance.max_attempts),
                               std::chrono::milliseconds(options.performance.retry_base_delay_ms),
                               std::chrono::milliseconds(options.performance.retry_max_delay_ms));
  dispatch.max_retry_time =
      ParseDuration(options.performance.max_retry_time).value_or(dispatch.max_retry_time);
  dispatch.drain_timeout = options.drain_timeout;
  dispatch.secrets = {options.bearer_token};
  dispatch.seed = options.seed;

  // Per vault: its error log, its checkpoint tracker and journal.
  std::vector<std::unique_ptr<ErrorLog>> error_logs;
  std::vector<std::unique_ptr<CheckpointTracker>> trackers;
  std::vector<std::unique_ptr<CheckpointJournal>> journals;
  std::vector<AccountedVault> accounted;
  std::vector<CheckpointWriter::Vault> checkpointed;
  // The accounting and the checkpoint writer keep pointers into these.
  result.vaults.reserve(plans.size());
  for (VaultLoadPlan& plan : plans) {
    VaultLoadResult vault;
    vault.name = plan.vault.name;
    vault.id = plan.vault.id;
    vault.source = plan.source->Describe();
    vault.error_log_path = plan.error_log_path;
    vault.resumed_from = plan.resume_from;
    vault.checkpoint = plan.resume_from;
    result.vaults.push_back(std::move(vault));
    VaultLoadResult& added = result.vaults.back();
    added.stats->concurrency_ceiling.store(concurrency, std::memory_order_relaxed);

    error_logs.push_back(std::make_unique<ErrorLog>(
        plan.error_log_path, ErrorLogVault{plan.vault.name, plan.vault.id, plan.vault.TableName(),
                                           plan.vault.column, plan.source->OriginLabel()}));
    trackers.push_back(std::make_unique<CheckpointTracker>(plan.resume_from));
    std::unique_ptr<CheckpointJournal> journal;
    if (!plan.journal_path.empty()) {
      Result<std::unique_ptr<CheckpointJournal>> opened =
          CheckpointJournal::Open(plan.journal_path);
      if (opened.ok()) {
        journal = std::move(opened).value();
      } else {
        added.checkpoint_status = opened.status();
      }
    }
    accounted.push_back(
        AccountedVault{added.stats.get(), error_logs.back().get(), trackers.back().get()});
    journals.push_back(std::move(journal));
    checkpointed.push_back(CheckpointWriter::Vault{
        plan.vault.name, trackers.back().get(), journals.back().get(), &added.checkpoint_status});
  }
  LoadAccounting accounting(std::move(accounted));
  Dispatcher dispatcher(&loop, &SteadyClock(), dispatch, &accounting);

  // Enough queued batches to refill the slots at once after a burst of
  // answers, few enough that memory stays small at a high ceiling.
  const size_t queue_capacity = std::clamp<size_t>(2 * concurrency, 4, 64);
  std::vector<std::unique_ptr<BoundedQueue<Batch>>> queues;
  for (const VaultLoadPlan& plan : plans) {
    queues.push_back(std::make_unique<BoundedQueue<Batch>>(queue_capacity));
    LaneOptions lane;
    lane.endpoint.vault_name = plan.vault.name;
    lane.endpoint.vault_url = options.vault_url;
    lane.endpoint.vault_id = plan.vault.id;
    lane.endpoint.insert = InsertOptionsFor(plan.vault, options.performance);
    lane.limiter = LimiterFor(options.performance);
    // Fixed mode keeps the Go loader's pace: only Retry-After slows it.
    lane.pace_on_throttle = AsciiLowered(options.performance.concurrency_mode) != "fixed";
    lane.base_delay = std::chrono::milliseconds(options.performance.base_delay_ms);
    dispatcher.AddLane(std::move(lane), queues.back().get());
  }

  const int64_t suffix_time = std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  if (progress.started) progress.started(result);
  CheckpointWriter checkpoint_writer(std::move(checkpointed), options.checkpoint_interval);
  std::vector<Producer> producers(plans.size());
  std::vector<std::thread> producer_threads;
  for (size_t lane = 0; lane < plans.size(); ++lane) {
    Producer& producer = producers[lane];
    producer.source = plans[lane].source.get();
    producer.options.lane = lane;
    producer.options.batch_size = static_cast<size_t>(options.performance.batch_size);
    producer.options.max_rows = options.max_rows;
    producer.options.rows_before = plans[lane].resume_from.next_sequence;
    producer.options.batches_before = plans[lane].resume_from.batches;
    producer.options.insert = InsertOptionsFor(plans[lane].vault, options.performance);
    producer.options.append_suffix = options.performance.append_suffix;
    producer.options.suffix_time = suffix_time;
    producer.options.seed = options.seed + lane;
    producer.resume_from = plans[lane].resume_from;
    producer.queue = queues[lane].get();
    producer.result = &result.vaults[lane];
    producer.error_log = error_logs[lane].get();
    producer.checkpoints = trackers[lane].get();
    producer_threads.emplace_back([&producer] { producer.Run(); });
  }

  auto refresh_gauges = [&] {
    for (size_t lane = 0; lane < plans.size(); ++lane) {
      const LaneConcurrency now = dispatcher.Concurrency(lane);
      VaultStats& stats = *result.vaults[lane].stats;
      stats.in_flight.store(now.in_flight, std::memory_order_relaxed);
      stats.concurrency_limit.store(now.limit, std::memory_order_relaxed);
      result.vaults[lane].concurrency = now;
    }
  };
  std::function<void()> tick;
  if (progress.report) {
    tick = [&] {
      refresh_gauges();
      result.elapsed = SteadyTime::now() - start;
      progress.report(result);
    };
  }
  result.run_status = dispatcher.Run(interrupted, tick, progress.interval);
  // The dispatcher stopped early (a signal, refused credentials): a producer
  // may be waiting on its source (a statement still running on a server).
  if (!result.run_status.ok() || interrupted.load()) {
    for (VaultLoadPlan& plan : plans)
      plan.source->Interrupt();
  }
  for (std::thread& producer : producer_threads)
    producer.join();
  checkpoint_writer.Stop();
  refresh_gauges();

  for (size_t lane = 0; lane < plans.size(); ++lane) {
    VaultLoadResult& vault = result.vaults[lane];
    if (vault.status.ok() && !dispatcher.LaneStatus(lane).ok()) {
      vault.status = dispatcher.LaneStatus(lane);
    }
    vault.elapsed = accounting.LastSettled(lane).value_or(SteadyTime::now()) - start;
    vault.error_log_lines = error_logs[lane]->lines_written();
    vault.checkpoint = trackers[lane]->Current();
  }
  result.elapsed = SteadyTime::now() - start;
  result.error_log_status = accounting.write_status();
  return result;
}

}  // namespace skyflow
