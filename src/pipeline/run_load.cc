#include "pipeline/run_load.h"

#include <algorithm>
#include <thread>

#include "net/adaptive_concurrency.h"
#include "pipeline/batcher.h"
#include "pipeline/bounded_queue.h"
#include "pipeline/dispatcher.h"
#include "pipeline/load_accounting.h"
#include "pipeline/reject_log.h"
#include "util/ascii.h"
#include "util/duration.h"
#include "vault/insert_payload.h"

namespace skyflow {
namespace {

using SteadyTime = std::chrono::steady_clock;

constexpr char kUserAgent[] = "User-Agent: skyflow-byot-loader/0.1.0";

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
  result.rejects_path = options.rejects_path;
  result.concurrency_mode = AsciiLowered(options.performance.concurrency_mode);
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
  dispatch.max_retry_time =
      ParseDuration(options.performance.max_retry_time).value_or(dispatch.max_retry_time);
  dispatch.seed = options.seed;

  std::vector<AccountedVault> accounted;
  for (const VaultLoadPlan& plan : plans) {
    VaultLoadResult vault;
    vault.name = plan.vault.name;
    vault.id = plan.vault.id;
    vault.source = plan.source->Describe();
    result.vaults.push_back(std::move(vault));
    accounted.push_back(AccountedVault{plan.vault.name, plan.source->OriginLabel(),
                                       result.vaults.back().stats.get()});
  }
  LoadAccounting accounting(std::move(accounted), &rejects);
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
  std::vector<std::thread> producers;
  for (size_t lane = 0; lane < plans.size(); ++lane) {
    BatcherOptions batcher;
    batcher.lane = lane;
    batcher.batch_size = static_cast<size_t>(options.performance.batch_size);
    batcher.max_rows = options.max_rows;
    batcher.insert = InsertOptionsFor(plans[lane].vault, options.performance);
    batcher.append_suffix = options.performance.append_suffix;
    batcher.suffix_time = suffix_time;
    batcher.seed = options.seed + lane;
    producers.emplace_back(Produce, plans[lane].source.get(), batcher, queues[lane].get(),
                           &result.vaults[lane], &rejects);
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
  for (std::thread& producer : producers)
    producer.join();
  refresh_gauges();

  for (size_t lane = 0; lane < plans.size(); ++lane) {
    VaultLoadResult& vault = result.vaults[lane];
    if (vault.status.ok() && !dispatcher.LaneStatus(lane).ok()) {
      vault.status = dispatcher.LaneStatus(lane);
    }
    vault.elapsed = accounting.LastSettled(lane).value_or(SteadyTime::now()) - start;
  }
  result.elapsed = SteadyTime::now() - start;
  result.rejects_written = rejects.lines_written();
  result.rejects_status = accounting.write_status();
  return result;
}

}  // namespace skyflow
