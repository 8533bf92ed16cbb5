#include "pipeline/load_job.h"

#include <thread>

#include "pipeline/batcher.h"
#include "pipeline/bounded_queue.h"
#include "pipeline/dispatcher.h"
#include "pipeline/reject_log.h"
#include "vault/insert_payload.h"

namespace skyflow {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kUserAgent[] = "User-Agent: skyflow-byot-loader/0.1.0";

// Accounts for every batch the dispatcher finishes or abandons, and sends the
// records that did not load to the rejects file.
class LoadAccounting : public DispatchObserver {
 public:
  LoadAccounting(std::vector<VaultLoadResult>* vaults, std::vector<VaultLoadPlan>* plans,
                 RejectLog* rejects, Clock::time_point start)
      : vaults_(vaults), plans_(plans), rejects_(rejects), start_(start) {}

  void OnAttempt(const Batch& batch, const InsertOutcome& outcome, bool will_retry) override {
    VaultStats& stats = *(*vaults_)[batch.lane].stats;
    stats.requests.fetch_add(1, std::memory_order_relaxed);
    stats.latency_micros_total.fetch_add(static_cast<uint64_t>(outcome.latency.count()),
                                         std::memory_order_relaxed);
    if (outcome.http_status == 0) {
      stats.transport_errors.fetch_add(1, std::memory_order_relaxed);
    } else if (outcome.throttled) {
      stats.throttled.fetch_add(1, std::memory_order_relaxed);
    } else if (outcome.http_status >= 500 || outcome.http_status == 408) {
      stats.server_errors.fetch_add(1, std::memory_order_relaxed);
    }
    if (will_retry) stats.retries.fetch_add(1, std::memory_order_relaxed);
  }

  void OnFinished(Batch&& batch, const InsertOutcome& outcome) override {
    VaultLoadResult& vault = (*vaults_)[batch.lane];
    VaultStats& stats = *vault.stats;
    const uint64_t count = batch.records.size();
    vault.elapsed = Clock::now() - start_;
    if (outcome.kind == OutcomeKind::kLoaded) {
      stats.loaded.fetch_add(count, std::memory_order_relaxed);
      (batch.attempts == 1 ? stats.batches_immediate : stats.batches_retried)
          .fetch_add(1, std::memory_order_relaxed);
      return;
    }
    stats.batches_failed.fetch_add(1, std::memory_order_relaxed);
    std::string reason = outcome.reason;
    if (outcome.kind == OutcomeKind::kConflict) {
      stats.conflicts.fetch_add(count, std::memory_order_relaxed);
      reason = "conflict: " + reason +
               "; the token or value is already in the vault (re-run with -upsert to update it)";
    } else {
      stats.failed.fetch_add(count, std::memory_order_relaxed);
      if (outcome.kind == OutcomeKind::kRetryable) {
        reason = "gave up after " + std::to_string(batch.attempts) + " attempts: " + reason;
      }
    }
    WriteFailure(vault.name, batch, reason, outcome);
  }

  void OnAbandoned(Batch&& batch, const std::string&) override {
    VaultLoadResult& vault = (*vaults_)[batch.lane];
    vault.stats->unsent.fetch_add(batch.records.size(), std::memory_order_relaxed);
  }

  const Status& write_status() const { return write_status_; }

 private:
  void WriteFailure(const std::string& vault, const Batch& batch, const std::string& reason,
                    const InsertOutcome& outcome) {
    const RecordSource& source = *(*plans_)[batch.lane].source;
    std::vector<std::string> origins;
    origins.reserve(batch.records.size());
    for (const Record& record : batch.records)
      origins.push_back(source.Origin(record.origin_line));
    const VaultFailure failure{batch.number, outcome.http_status, outcome.request_id,
                               batch.attempts};
    Status written = rejects_->AppendVaultFailure(vault, batch.records, origins, reason, failure);
    if (!written.ok() && write_status_.ok()) write_status_ = written;
  }

  std::vector<VaultLoadResult>* vaults_;
  std::vector<VaultLoadPlan>* plans_;
  RejectLog* rejects_;
  Clock::time_point start_;
  Status write_status_;
};

void Produce(RecordSource* source, const BatcherOptions& options, BoundedQueue<Batch>* queue,
             VaultLoadResult* result, RejectLog* rejects) {
  Batcher batcher(source, options);
  VaultStats& stats = *result->stats;
  std::vector<RejectedRow> rejected;
  while (true) {
    Batch batch;
    bool done = false;
    rejected.clear();
    Status status = batcher.Next(&batch, &rejected, &done);
    stats.rows_read.store(batcher.rows_read(), std::memory_order_relaxed);
    stats.rejected.fetch_add(rejected.size(), std::memory_order_relaxed);
    stats.records_read.fetch_add(batch.records.size(), std::memory_order_relaxed);
    if (Status written = rejects->AppendSourceRejects(result->name, rejected); !written.ok()) {
      status = written;
    }
    if (!status.ok()) {
      stats.unsent.fetch_add(batch.records.size(), std::memory_order_relaxed);
      result->status = status;
      break;
    }
    if (!batch.records.empty()) {
      const uint64_t count = batch.records.size();
      if (!queue->Push(std::move(batch))) {
        stats.unsent.fetch_add(count, std::memory_order_relaxed);
        break;
      }
    }
    if (done) break;
  }
  result->stopped_at_limit = batcher.stopped_at_limit();
  queue->Finish();
}

}  // namespace

LoadResult RunLoad(const LoadOptions& options, std::vector<VaultLoadPlan> plans,
                   const std::atomic<bool>& interrupted, const LoadProgress& progress) {
  const auto start = Clock::now();
  LoadResult result;
  result.rejects_path = options.rejects_path;
  RejectLog rejects(options.rejects_path);

  const size_t concurrency = static_cast<size_t>(options.performance.max_concurrency);
  HttpLoopOptions http = options.http;
  http.max_connections = static_cast<long>(concurrency * plans.size()) + 4;
  HttpLoop loop(http);

  DispatcherOptions dispatch;
  dispatch.headers = {"Authorization: Bearer " + options.bearer_token,
                      "Content-Type: application/json", "Accept: application/json", kUserAgent};
  dispatch.request_timeout = std::chrono::milliseconds(options.performance.request_timeout_ms);
  dispatch.retry = RetryPolicy(static_cast<int>(options.performance.max_attempts),
                               std::chrono::milliseconds(options.performance.retry_base_delay_ms),
                               std::chrono::milliseconds(options.performance.retry_max_delay_ms));
  dispatch.seed = options.seed;

  for (const VaultLoadPlan& plan : plans) {
    VaultLoadResult vault;
    vault.name = plan.vault.name;
    vault.id = plan.vault.id;
    vault.source = plan.source->Describe();
    result.vaults.push_back(std::move(vault));
  }
  LoadAccounting accounting(&result.vaults, &plans, &rejects, start);
  Dispatcher dispatcher(&loop, dispatch, &accounting);

  // Two batches per slot keep the slots busy while a producer reads ahead.
  std::vector<std::unique_ptr<BoundedQueue<Batch>>> queues;
  for (const VaultLoadPlan& plan : plans) {
    queues.push_back(std::make_unique<BoundedQueue<Batch>>(2 * concurrency));
    LaneOptions lane;
    lane.vault_name = plan.vault.name;
    lane.url = InsertUrl(options.vault_url, plan.vault.id, plan.vault.TableName());
    lane.concurrency = concurrency;
    lane.base_delay = std::chrono::milliseconds(options.performance.base_delay_ms);
    dispatcher.AddLane(lane, queues.back().get());
  }

  const int64_t suffix_time = std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  std::vector<std::thread> producers;
  for (size_t lane = 0; lane < plans.size(); ++lane) {
    BatcherOptions batcher;
    batcher.lane = lane;
    batcher.batch_size = static_cast<size_t>(options.performance.batch_size);
    batcher.max_rows = options.max_rows;
    batcher.insert = InsertOptions{plans[lane].vault.column, options.performance.upsert};
    batcher.append_suffix = options.performance.append_suffix;
    batcher.suffix_time = suffix_time;
    batcher.seed = options.seed + lane;
    producers.emplace_back(Produce, plans[lane].source.get(), batcher, queues[lane].get(),
                           &result.vaults[lane], &rejects);
  }

  std::function<void()> tick;
  if (progress.report) {
    tick = [&] {
      result.elapsed = Clock::now() - start;
      progress.report(result);
    };
  }
  result.run_status = dispatcher.Run(interrupted, tick, progress.interval);
  for (std::thread& producer : producers)
    producer.join();

  for (size_t lane = 0; lane < plans.size(); ++lane) {
    VaultLoadResult& vault = result.vaults[lane];
    if (vault.status.ok() && !dispatcher.LaneStatus(lane).ok()) {
      vault.status = dispatcher.LaneStatus(lane);
    }
    if (vault.elapsed == Clock::duration::zero()) vault.elapsed = Clock::now() - start;
  }
  result.elapsed = Clock::now() - start;
  result.rejects_written = rejects.lines_written();
  result.rejects_status = accounting.write_status();
  return result;
}

}  // namespace skyflow
