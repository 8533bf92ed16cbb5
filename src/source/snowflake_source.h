// SnowflakeSource: one vault's (value, token) rows, read from the result of a
// Snowflake statement over the SQL API (snowflake/statement_client.h).
//
// The statement is submitted on the first Next (so that every vault's
// statement runs at once, each from its own producer thread), polled until it
// finishes, and its result partitions are streamed in order: partition 0
// arrives with the result, later ones are downloaded ahead by a
// PartitionPrefetcher, so memory holds the partition being read plus the
// prefetch window, never the whole result. The result must have exactly two
// columns, value then token; a row with a NULL or empty cell (or text that
// cannot travel in JSON) is a RejectedRow naming the row number ("Snowflake
// result row:17") and the reason.
//
// Sequence numbers are result row numbers from 0. Cursor() is the statement
// handle and the position (partition, row in it) after the rows returned, so
// that a resumed run continues in the same result while Snowflake keeps it
// (24 hours) instead of running the statement again, whose rows may come in
// another order. A kept result that is gone is an error that says to start
// a new run.
//
// Interrupt() may be called from any thread: a Next that waits on Snowflake
// returns kCancelled promptly, and a statement still running is cancelled
// (POST .../cancel) so that the warehouse does not keep working for nobody.
// Otherwise used by one thread at a time, as every RecordSource.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "snowflake/partition_prefetcher.h"
#include "snowflake/sql_api_credentials.h"
#include "snowflake/statement_client.h"
#include "source/record_source.h"

namespace skyflow {

// What every vault's statement of one run travels through: the credentials
// and the SQL API client that sends them, shared by the vaults' sources.
struct SnowflakeConnection {
  std::unique_ptr<snowflake::SqlApiCredentials> credentials;
  std::unique_ptr<snowflake::StatementClient> client;  // uses `credentials`
};

struct SnowflakeSourceOptions {
  snowflake::Statement statement;
  size_t prefetch = 4;  // partitions downloaded ahead of the one being read
  std::string vault;    // for descriptions: "Snowflake statement for vault NAME"
};

class SnowflakeSource final : public RecordSource {
 public:
  SnowflakeSource(std::shared_ptr<const SnowflakeConnection> connection,
                  SnowflakeSourceOptions options);
  ~SnowflakeSource() override;

  Status Next(size_t max_rows, SourceChunk* chunk) override;
  std::string Describe() const override;
  std::string OriginLabel() const override { return "Snowflake result row"; }
  std::vector<SourceFact> Identity() const override;
  std::string Cursor() const override;
  Status Resume(uint64_t next_sequence, const std::string& cursor) override;
  void Interrupt() override;
  // In rows: the result's numRows, once the statement has finished.
  std::optional<SourceSize> SizeHint() const override;

 private:
  // The result's metadata arrived: checks its shape and starts prefetching
  // from `partition` (whose rows are `rows`, or fetched when nullopt).
  Status Begin(const snowflake::StatementResult& result, size_t partition,
               std::optional<snowflake::RowBlock> rows);
  Status Execute();
  // Moves to the next partition; false at the end of the result.
  Result<bool> NextPartition();

  std::shared_ptr<const SnowflakeConnection> connection_;
  snowflake::StatementClient* client_;  // connection_'s
  SnowflakeSourceOptions options_;
  std::stop_source stop_;

  bool begun_ = false;
  std::string handle_;
  std::vector<uint64_t> partition_rows_;
  size_t partition_ = 0;   // the partition `rows_` holds
  size_t row_ = 0;         // next row of it to return
  uint64_t sequence_ = 0;  // result row number of the next row
  snowflake::RowBlock rows_;
  Status pending_error_;  // to return at the next call (rows came first)

  mutable std::mutex prefetcher_mutex_;  // Interrupt() vs creating it
  std::unique_ptr<snowflake::PartitionPrefetcher> prefetcher_;
};

}  // namespace skyflow
