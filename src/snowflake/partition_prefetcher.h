// PartitionPrefetcher: downloads a statement's result partitions ahead of
// the one being loaded, handing them out strictly in order.
//
// Up to `prefetch` worker threads each run one blocking
// StatementClient::FetchPartition at a time, taking partition numbers in
// order. The window is bounded: partitions being fetched plus partitions
// fetched but not yet taken by Next() never exceed `prefetch`, so memory
// depends on the window and the partition size, never on the result's size.
// A worker waits for the window to open before it starts the next fetch. The
// partition Next() is waiting for is always among those in the window
// (numbers are handed out in order), so the window cannot stall.
//
// A fetch that fails (after the client's own retries) is handed out by Next()
// at that partition's turn; the prefetcher then stops, and Next() keeps
// answering the same error. A partition whose row count differs from what
// the result's metadata announced is such a failure (kParseError).
//
// Thread-safety: Next(), Stop() and the accessors are for one consumer thread
// (Stop() may also be called from another thread to end a blocked Next();
// it is idempotent). The destructor stops and joins the workers: no fetch
// outlives the prefetcher. The client must outlive it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "snowflake/result_rows.h"
#include "snowflake/statement_client.h"
#include "util/status.h"

namespace skyflow::snowflake {

struct PartitionPrefetchOptions {
  // Partitions fetched concurrently and held ahead of the consumer (>= 1).
  size_t prefetch = 4;
};

class PartitionPrefetcher {
 public:
  // Hands out partitions `first_index` .. partition_rows.size()-1 of statement
  // `handle` (partition_rows: ResultMetadata::partition_rows, the announced
  // row count of each partition). `first_rows`, when given, is partition
  // `first_index` already in hand (partition 0 arrives inline with the
  // result): it is handed out first, without a fetch. Resuming starts at
  // any `first_index` without it. Workers start at once.
  PartitionPrefetcher(StatementClient* client, std::string handle,
                      std::vector<uint64_t> partition_rows, size_t first_index,
                      std::optional<RowBlock> first_rows, PartitionPrefetchOptions options = {});
  ~PartitionPrefetcher();
  PartitionPrefetcher(const PartitionPrefetcher&) = delete;
  PartitionPrefetcher& operator=(const PartitionPrefetcher&) = delete;

  // Partitions not yet handed out.
  size_t remaining() const;

  // The next partition in order, waiting for its download; the failure of
  // its fetch; kCancelled once stopped; kNotFound when none remains.
  Result<Partition> Next();

  // Ends the workers' fetches in flight (promptly: the client's calls are
  // interrupted) and joins them. Next() answers kCancelled afterwards.
  void Stop();

 private:
  void Work(const std::stop_token& stop);

  StatementClient* client_;
  const std::string handle_;
  const std::vector<uint64_t> partition_rows_;
  const size_t end_index_;
  const size_t window_;

  mutable std::mutex mutex_;
  std::condition_variable_any changed_;
  std::optional<RowBlock> first_rows_;          // partition next_to_hand_out_, if in hand
  size_t next_to_fetch_;                        // next partition a worker starts on
  size_t next_to_hand_out_;                     // next partition Next() returns
  size_t in_flight_ = 0;                        // fetches running
  std::map<size_t, Result<RowBlock>> fetched_;  // done, not yet handed out
  std::optional<Status> failure_;               // once handed out, answered again
  bool stopped_ = false;

  std::stop_source stop_source_;
  std::mutex join_mutex_;  // Stop() from two threads joins once
  std::vector<std::thread> workers_;
};

}  // namespace skyflow::snowflake
