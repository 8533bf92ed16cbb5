#include "snowflake/partition_prefetcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "fake_sql_api.h"

namespace skyflow::snowflake {
namespace {

using std::chrono::milliseconds;
using testing::FakeCredentials;
using testing::FakeSqlApi;
using testing::QueryValue;
using testing::SeenRequest;
using Clock = std::chrono::steady_clock;

// Partition N holds N % 5 + 1 rows, row i being ("vN-i", "tN-i").
size_t RowsOf(size_t partition) {
  return partition % 5 + 1;
}

std::string PartitionBody(size_t partition) {
  std::string body = R"({"data":[)";
  for (size_t i = 0; i < RowsOf(partition); ++i) {
    const std::string suffix = std::to_string(partition) + "-" + std::to_string(i);
    if (i > 0) body += ",";
    body += R"([")" + std::string("v") + suffix + R"(","t)" + suffix + R"("])";
  }
  return body + "]}";
}

std::vector<uint64_t> AnnouncedRows(size_t partitions) {
  std::vector<uint64_t> rows;
  for (size_t i = 0; i < partitions; ++i)
    rows.push_back(RowsOf(i));
  return rows;
}

RowBlock InlinePartitionZero() {
  RowBlock rows;
  rows.AddCell("v0-0");
  rows.AddCell("t0-0");
  EXPECT_TRUE(rows.EndRow("partition 0", 0).ok());
  return rows;
}

// Checks that `partition` is partition `expected` with its rows intact.
void ExpectPartition(const Result<Partition>& partition, size_t expected) {
  ASSERT_TRUE(partition.ok()) << "partition " << expected << ": " << partition.status().ToString();
  EXPECT_EQ(partition->index, expected);
  ASSERT_EQ(partition->rows.row_count(), RowsOf(expected));
  for (size_t i = 0; i < RowsOf(expected); ++i) {
    const std::string suffix = std::to_string(expected) + "-" + std::to_string(i);
    EXPECT_EQ(partition->rows.Cell(i, 0), std::optional<std::string_view>("v" + suffix));
    EXPECT_EQ(partition->rows.Cell(i, 1), std::optional<std::string_view>("t" + suffix));
  }
}

size_t PartitionOf(const SeenRequest& request) {
  return std::stoul(QueryValue(request.query, "partition"));
}

StatementClientOptions FastOptions() {
  StatementClientOptions options;
  options.max_attempts = 3;
  options.retry_base_delay = milliseconds(1);
  options.retry_max_delay = milliseconds(5);
  options.request_timeout = milliseconds(10000);
  return options;
}

// Waits (at most 5 s) until the server has seen `count` requests.
bool AwaitRequests(const FakeSqlApi& api, size_t count) {
  for (int i = 0; i < 500 && api.request_count() < count; ++i)
    std::this_thread::sleep_for(milliseconds(10));
  return api.request_count() >= count;
}

TEST(PartitionPrefetcherTest, FiftyPartitionsWithRandomDelaysArriveInOrder) {
  std::mutex random_mutex;
  std::mt19937 random(20240611);
  std::mutex intervals_mutex;
  std::vector<std::pair<Clock::time_point, Clock::time_point>> answering;
  FakeSqlApi api(
      [&](const SeenRequest& request, emulator::HttpResponse* response) {
        const size_t partition = PartitionOf(request);
        int delay = 0;
        {
          std::lock_guard lock(random_mutex);
          delay = std::uniform_int_distribution<int>(0, 30)(random);
        }
        {
          std::lock_guard lock(intervals_mutex);
          answering.emplace_back(request.arrived, request.arrived + milliseconds(delay));
        }
        response->delay = milliseconds(delay);
        response->body = PartitionBody(partition);
      },
      /*threads=*/2);
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  PartitionPrefetcher prefetcher(&client, "H-50", AnnouncedRows(50), 0, InlinePartitionZero(),
                                 PartitionPrefetchOptions{4});

  EXPECT_EQ(prefetcher.remaining(), 50u);
  for (size_t expected = 0; expected < 50; ++expected) {
    ExpectPartition(prefetcher.Next(), expected);
  }
  EXPECT_EQ(prefetcher.remaining(), 0u);
  Result<Partition> past_end = prefetcher.Next();
  ASSERT_FALSE(past_end.ok());
  EXPECT_EQ(past_end.status().code(), StatusCode::kNotFound);

  // Each partition but the inline one was fetched exactly once.
  std::vector<size_t> fetched;
  for (const SeenRequest& request : api.requests())
    fetched.push_back(PartitionOf(request));
  std::sort(fetched.begin(), fetched.end());
  std::vector<size_t> expected(49);
  for (size_t i = 0; i < 49; ++i)
    expected[i] = i + 1;
  EXPECT_EQ(fetched, expected);

  // Requests overlapped (the fetches run concurrently), never more than 4.
  size_t most_at_once = 0;
  {
    std::lock_guard lock(intervals_mutex);
    for (const auto& [start, end] : answering) {
      size_t at_once = 0;
      for (const auto& [other_start, other_end] : answering) {
        if (other_start <= start && start < other_end) ++at_once;
      }
      most_at_once = std::max(most_at_once, at_once);
    }
  }
  EXPECT_GE(most_at_once, 2u);
  EXPECT_LE(most_at_once, 4u);
}

TEST(PartitionPrefetcherTest, NeverHoldsOrFetchesMoreThanTheWindow) {
  FakeSqlApi api([](const SeenRequest& request, emulator::HttpResponse* response) {
    response->body = PartitionBody(PartitionOf(request));
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  PartitionPrefetcher prefetcher(&client, "H-W", AnnouncedRows(20), 1, std::nullopt,
                                 PartitionPrefetchOptions{3});

  // Nothing is consumed: three partitions are fetched, and then no more.
  ASSERT_TRUE(AwaitRequests(api, 3));
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(api.request_count(), 3u);

  // Each partition taken lets exactly one more in.
  for (size_t taken = 1; taken <= 3; ++taken) {
    ExpectPartition(prefetcher.Next(), taken);
    ASSERT_TRUE(AwaitRequests(api, 3 + taken));
    std::this_thread::sleep_for(milliseconds(150));
    EXPECT_EQ(api.request_count(), 3 + taken);
  }
  for (size_t expected = 4; expected < 20; ++expected)
    ExpectPartition(prefetcher.Next(), expected);
  EXPECT_EQ(api.request_count(), 19u);
}

TEST(PartitionPrefetcherTest, AFailedPartitionSurfacesAtItsTurn) {
  FakeSqlApi api([](const SeenRequest& request, emulator::HttpResponse* response) {
    const size_t partition = PartitionOf(request);
    if (partition == 7) {
      response->status = 503;
      response->body = R"({"message":"Service Unavailable"})";
      return;
    }
    response->body = PartitionBody(partition);
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  PartitionPrefetcher prefetcher(&client, "H-E", AnnouncedRows(12), 0, InlinePartitionZero(),
                                 PartitionPrefetchOptions{4});

  for (size_t expected = 0; expected < 7; ++expected)
    ExpectPartition(prefetcher.Next(), expected);
  Result<Partition> seventh = prefetcher.Next();
  ASSERT_FALSE(seventh.ok());
  EXPECT_EQ(seventh.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(seventh.status().message().find("partition 7 of statement H-E"), std::string::npos)
      << seventh.status().message();
  EXPECT_NE(seventh.status().message().find("after 3 attempts"), std::string::npos);
  // The failure stays: nothing after it is handed out.
  Result<Partition> again = prefetcher.Next();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().message(), seventh.status().message());
  size_t partition_7_requests = 0;
  for (const SeenRequest& request : api.requests())
    partition_7_requests += PartitionOf(request) == 7 ? 1 : 0;
  EXPECT_EQ(partition_7_requests, 3u);
}

TEST(PartitionPrefetcherTest, APartitionShorterThanAnnouncedIsAnError) {
  FakeSqlApi api([](const SeenRequest& request, emulator::HttpResponse* response) {
    const size_t partition = PartitionOf(request);
    response->body = partition == 2 ? PartitionBody(1) : PartitionBody(partition);
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  PartitionPrefetcher prefetcher(&client, "H-S", AnnouncedRows(4), 1, std::nullopt);
  ExpectPartition(prefetcher.Next(), 1);
  Result<Partition> second = prefetcher.Next();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kParseError);
  EXPECT_NE(second.status().message().find("partition 2 of statement H-S has 2 rows where the "
                                           "result announced 3"),
            std::string::npos)
      << second.status().message();
}

TEST(PartitionPrefetcherTest, ResumesFromAGivenPartition) {
  FakeSqlApi api([](const SeenRequest& request, emulator::HttpResponse* response) {
    response->body = PartitionBody(PartitionOf(request));
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  PartitionPrefetcher prefetcher(&client, "H-R", AnnouncedRows(8), 5, std::nullopt);
  EXPECT_EQ(prefetcher.remaining(), 3u);
  for (size_t expected = 5; expected < 8; ++expected)
    ExpectPartition(prefetcher.Next(), expected);
  EXPECT_EQ(prefetcher.Next().status().code(), StatusCode::kNotFound);
  for (const SeenRequest& request : api.requests())
    EXPECT_GE(PartitionOf(request), 5u);
  EXPECT_EQ(api.request_count(), 3u);
}

TEST(PartitionPrefetcherTest, StopInTheMiddleReturnsPromptly) {
  FakeSqlApi api([](const SeenRequest& request, emulator::HttpResponse* response) {
    const size_t partition = PartitionOf(request);
    if (partition >= 3) response->delay = milliseconds(5000);
    response->body = PartitionBody(partition);
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  PartitionPrefetcher prefetcher(&client, "H-X", AnnouncedRows(30), 1, std::nullopt);
  ExpectPartition(prefetcher.Next(), 1);
  ExpectPartition(prefetcher.Next(), 2);
  ASSERT_TRUE(AwaitRequests(api, 6));  // 1..6: partitions 3..6 wait on the server

  const Clock::time_point start = Clock::now();
  prefetcher.Stop();
  EXPECT_LT(Clock::now() - start, milliseconds(1000));
  EXPECT_EQ(prefetcher.Next().status().code(), StatusCode::kCancelled);
  prefetcher.Stop();  // idempotent
}

TEST(PartitionPrefetcherTest, StopFromAnotherThreadEndsAWaitingNext) {
  FakeSqlApi api([](const SeenRequest& request, emulator::HttpResponse* response) {
    response->delay = milliseconds(5000);
    response->body = PartitionBody(PartitionOf(request));
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  PartitionPrefetcher prefetcher(&client, "H-T", AnnouncedRows(10), 1, std::nullopt);
  std::thread stopper([&prefetcher] {
    std::this_thread::sleep_for(milliseconds(200));
    prefetcher.Stop();
  });
  const Clock::time_point start = Clock::now();
  Result<Partition> partition = prefetcher.Next();
  const auto elapsed = Clock::now() - start;
  stopper.join();
  ASSERT_FALSE(partition.ok());
  EXPECT_EQ(partition.status().code(), StatusCode::kCancelled);
  EXPECT_LT(elapsed, milliseconds(1500));
}

TEST(PartitionPrefetcherTest, DestroyingItWithFetchesInFlightIsPrompt) {
  FakeSqlApi api([](const SeenRequest& request, emulator::HttpResponse* response) {
    response->delay = milliseconds(5000);
    response->body = PartitionBody(PartitionOf(request));
  });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  const Clock::time_point start = Clock::now();
  {
    PartitionPrefetcher prefetcher(&client, "H-D", AnnouncedRows(10), 1, std::nullopt);
    ASSERT_TRUE(AwaitRequests(api, 4));
  }
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
}

TEST(PartitionPrefetcherTest, AOnePartitionResultNeedsNoFetch) {
  FakeSqlApi api(
      [](const SeenRequest&, emulator::HttpResponse* response) { response->status = 500; });
  FakeCredentials credentials(true);
  StatementClient client(api.url(), &credentials, FastOptions());
  PartitionPrefetcher prefetcher(&client, "H-1", {}, 0, InlinePartitionZero());
  ExpectPartition(prefetcher.Next(), 0);
  EXPECT_EQ(prefetcher.Next().status().code(), StatusCode::kNotFound);
  EXPECT_EQ(api.request_count(), 0u);
}

}  // namespace
}  // namespace skyflow::snowflake
