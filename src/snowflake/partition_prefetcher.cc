#include "snowflake/partition_prefetcher.h"

#include <algorithm>
#include <utility>

namespace skyflow::snowflake {

PartitionPrefetcher::PartitionPrefetcher(StatementClient* client, std::string handle,
                                         std::vector<uint64_t> partition_rows, size_t first_index,
                                         std::optional<RowBlock> first_rows,
                                         PartitionPrefetchOptions options)
    : client_(client),
      handle_(std::move(handle)),
      partition_rows_(std::move(partition_rows)),
      end_index_(std::max<size_t>(partition_rows_.size(), 1)),
      window_(std::max<size_t>(options.prefetch, 1)),
      first_rows_(std::move(first_rows)),
      next_to_fetch_(first_index + (first_rows_ ? 1 : 0)),
      next_to_hand_out_(first_index) {
  const size_t to_fetch = next_to_fetch_ < end_index_ ? end_index_ - next_to_fetch_ : 0;
  const size_t workers = std::min(window_, to_fetch);
  workers_.reserve(workers);
  for (size_t i = 0; i < workers; ++i) {
    workers_.emplace_back([this, stop = stop_source_.get_token()] { Work(stop); });
  }
}

PartitionPrefetcher::~PartitionPrefetcher() {
  Stop();
}

size_t PartitionPrefetcher::remaining() const {
  std::lock_guard lock(mutex_);
  return next_to_hand_out_ < end_index_ ? end_index_ - next_to_hand_out_ : 0;
}

void PartitionPrefetcher::Work(const std::stop_token& stop) {
  for (;;) {
    size_t index = 0;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, stop, [this] {
        return next_to_fetch_ >= end_index_ || in_flight_ + fetched_.size() < window_;
      });
      if (stop.stop_requested() || next_to_fetch_ >= end_index_) return;
      index = next_to_fetch_++;
      ++in_flight_;
    }
    Result<RowBlock> rows = client_->FetchPartition(handle_, index, stop);
    if (rows.ok() && index < partition_rows_.size() &&
        rows->row_count() != partition_rows_[index]) {
      rows = Status::ParseError("partition " + std::to_string(index) + " of statement " + handle_ +
                                " has " + std::to_string(rows->row_count()) +
                                " rows where the result announced " +
                                std::to_string(partition_rows_[index]) +
                                "; the download was cut short or altered: run the load again");
    }
    {
      std::lock_guard lock(mutex_);
      --in_flight_;
      fetched_.emplace(index, std::move(rows));
    }
    changed_.notify_all();
  }
}

Result<Partition> PartitionPrefetcher::Next() {
  std::unique_lock lock(mutex_);
  if (failure_) return *failure_;
  if (stopped_) return Status::Cancelled("the download of statement " + handle_ + " was stopped");
  if (next_to_hand_out_ >= end_index_) {
    return Status::NotFound("every partition of statement " + handle_ + " has been handed out");
  }
  if (first_rows_) {
    Partition partition{next_to_hand_out_++, std::move(*first_rows_)};
    first_rows_.reset();
    return partition;
  }
  changed_.wait(lock, [this] { return stopped_ || fetched_.contains(next_to_hand_out_); });
  if (stopped_) return Status::Cancelled("the download of statement " + handle_ + " was stopped");
  auto node = fetched_.extract(next_to_hand_out_);
  const size_t index = next_to_hand_out_++;
  Result<RowBlock>& rows = node.mapped();
  if (!rows.ok()) {
    failure_ = rows.status();
    lock.unlock();
    // Nothing after a failed partition will be handed out: end the fetches.
    stop_source_.request_stop();
    changed_.notify_all();
    return rows.status();
  }
  lock.unlock();
  changed_.notify_all();  // the window has room for one more fetch
  return Partition{index, std::move(rows).value()};
}

void PartitionPrefetcher::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  stop_source_.request_stop();
  changed_.notify_all();
  std::lock_guard join_lock(join_mutex_);
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  std::lock_guard lock(mutex_);
  fetched_.clear();
}

}  // namespace skyflow::snowflake
