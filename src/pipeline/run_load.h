// RunLoad: loads every selected vault concurrently, in one process.
//
//   producer thread per vault: RecordSource -> Batcher -> BoundedQueue
//   calling thread:            Dispatcher (one libcurl event loop) -> vault API
//   both:                      each vault's ErrorLog for whatever is not loaded
//   checkpoint thread:         each vault's CheckpointJournal, once a second
//
// Memory is bounded by the queues plus the tasks in flight or waiting to be
// resent, whatever the input size. RunLoad blocks until every vault is done,
// stopped, or the run is interrupted through `interrupted` (set it from a
// signal handler): then requests in flight get the drain timeout to finish.
// A vault with a journal resumes from its checkpoint (`resume_from`) and
// records its progress there, so that any stop, even SIGKILL, costs at most
// the records in flight, which the next run sends again.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/loader_config.h"
#include "net/http_loop.h"
#include "pipeline/checkpoint.h"
#include "pipeline/dispatcher.h"
#include "pipeline/vault_stats.h"
#include "source/record_source.h"
#include "util/status.h"

namespace skyflow {

struct VaultLoadPlan {
  VaultConfig vault;
  std::unique_ptr<RecordSource> source;
  std::string error_log_path;
  std::string journal_path;  // empty: no checkpoints
  Checkpoint resume_from;    // where reading starts: the beginning, or a checkpoint
};

struct LoadOptions {
  std::string vault_url;
  std::string bearer_token;  // secret
  PerformanceConfig performance;
  uint64_t max_rows = 0;  // per vault; 0 = unlimited
  uint64_t seed = 1;
  HttpLoopOptions http;
  std::chrono::milliseconds checkpoint_interval{1000};
  std::chrono::milliseconds drain_timeout{30000};
};

struct LoadResult;

// Called on the dispatcher's thread every `interval` with the counters so far
// (read them with relaxed loads; they keep changing).
struct LoadProgress {
  std::function<void(const LoadResult&)> report;
  std::chrono::milliseconds interval{std::chrono::seconds(5)};
  // Called once on the calling thread, before the first row is read, with
  // every vault's name and counters in place. Each VaultStats stays at its
  // address for as long as the LoadResult that RunLoad returns lives, so
  // another thread (a metrics page) may keep reading it with relaxed loads.
  std::function<void(const LoadResult&)> started;
};

struct VaultLoadResult {
  std::string name;
  std::string id;
  std::string source;             // the source's Describe()
  Status status;                  // why the vault stopped early or its source failed
  bool stopped_at_limit = false;  // -max-records cut the input short
  std::unique_ptr<VaultStats> stats = std::make_unique<VaultStats>();
  LaneConcurrency concurrency;  // at the end of the run
  std::chrono::steady_clock::duration elapsed{};
  std::string error_log_path;
  uint64_t error_log_lines = 0;  // written by this run
  Checkpoint resumed_from;       // what earlier runs had settled
  Checkpoint checkpoint;         // the last one recorded
  Status checkpoint_status;      // a failure to write the journal
};

struct LoadResult {
  std::vector<VaultLoadResult> vaults;
  Status run_status;  // what stopped the whole run: credentials, interruption
  std::chrono::steady_clock::duration elapsed{};
  std::string concurrency_mode;  // "adaptive" or "fixed"
  std::string run_directory;     // set by the caller, for reports
  Status error_log_status;       // a failure to write an error log
};

LoadResult RunLoad(const LoadOptions& options, std::vector<VaultLoadPlan> plans,
                   const std::atomic<bool>& interrupted, const LoadProgress& progress = {});

}  // namespace skyflow
