#include "pipeline/bounded_queue.h"

#include <gtest/gtest.h>

#include <thread>

namespace skyflow {
namespace {

TEST(BoundedQueueTest, DeliversInOrderAndDrainsAfterFinish) {
  BoundedQueue<int> queue(4);
  EXPECT_TRUE(queue.Push(1));
  EXPECT_TRUE(queue.Push(2));
  queue.Finish();
  EXPECT_FALSE(queue.Drained());
  EXPECT_EQ(queue.TryPop(), 1);
  EXPECT_EQ(queue.TryPop(), 2);
  EXPECT_EQ(queue.TryPop(), std::nullopt);
  EXPECT_TRUE(queue.Drained());
}

TEST(BoundedQueueTest, FullQueueBlocksTheProducerUntilSpaceOrCancel) {
  BoundedQueue<int> queue(1);
  ASSERT_TRUE(queue.Push(1));
  std::atomic<int> pushed{0};
  std::thread producer([&] {
    if (queue.Push(2)) pushed = 1;
    if (!queue.Push(3)) pushed = 2;  // blocks until cancelled
  });
  // The second push can only complete after a pop; bounded wait.
  for (int i = 0; i < 200 && queue.TryPop() != 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (int i = 0; i < 200 && pushed.load() != 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(pushed.load(), 1);
  queue.Cancel();
  producer.join();
  EXPECT_EQ(pushed.load(), 2);
}

TEST(BoundedQueueTest, ReadyCallbackFiresOnPushAndFinish) {
  BoundedQueue<int> queue(2);
  int calls = 0;
  queue.SetOnReady([&] { ++calls; });
  queue.Push(1);
  queue.Finish();
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace skyflow
