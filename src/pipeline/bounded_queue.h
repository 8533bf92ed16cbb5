// BoundedQueue: the hand-off between a producer thread (reading a source) and
// the dispatcher. Its capacity is what keeps memory flat whatever the input
// size: a producer that gets ahead of the network blocks in Push().
//
// Two ways to end it: the producer calls Finish() when its input is done (the
// consumer drains what is left), the consumer calls Cancel() when it will not
// take more (a blocked or later Push() returns false at once).
// Thread-safe for one producer and one consumer (and safe for more).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>

namespace skyflow {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // Called (without the lock held) after each successful Push and on Finish,
  // so the consumer's event loop can wake up.
  void SetOnReady(std::function<void()> on_ready) { on_ready_ = std::move(on_ready); }

  // Blocks while full. Returns false, dropping `item`, once cancelled.
  bool Push(T item) {
    {
      std::unique_lock lock(mutex_);
      not_full_.wait(lock, [&] { return cancelled_ || items_.size() < capacity_; });
      if (cancelled_) return false;
      items_.push_back(std::move(item));
    }
    if (on_ready_) on_ready_();
    return true;
  }

  // Never blocks.
  std::optional<T> TryPop() {
    std::optional<T> item;
    {
      std::lock_guard lock(mutex_);
      if (items_.empty()) return std::nullopt;
      item.emplace(std::move(items_.front()));
      items_.pop_front();
    }
    not_full_.notify_one();
    return item;
  }

  void Finish() {
    {
      std::lock_guard lock(mutex_);
      finished_ = true;
    }
    if (on_ready_) on_ready_();
  }

  void Cancel() {
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
    }
    not_full_.notify_all();
  }

  // True once the producer has finished and every item has been taken.
  bool Drained() const {
    std::lock_guard lock(mutex_);
    return finished_ && items_.empty();
  }

 private:
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable not_full_;
  std::deque<T> items_;
  bool finished_ = false;
  bool cancelled_ = false;
  std::function<void()> on_ready_;
};

}  // namespace skyflow
