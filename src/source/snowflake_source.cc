#include "source/snowflake_source.h"

#include <charconv>
#include <sstream>
#include <utility>

#include "source/record_checks.h"

namespace skyflow {
namespace {

using snowflake::Partition;
using snowflake::PartitionPrefetcher;
using snowflake::RowBlock;
using snowflake::StatementResult;

// Cursor text: "sf1 <handle> <partition> <row in partition>".
constexpr char kCursorVersion[] = "sf1";

struct ParsedCursor {
  std::string handle;
  size_t partition = 0;
  size_t row = 0;
};

std::optional<ParsedCursor> ParseCursor(const std::string& text) {
  std::istringstream in(text);
  std::string version;
  ParsedCursor cursor;
  if (!(in >> version >> cursor.handle >> cursor.partition >> cursor.row) ||
      version != kCursorVersion) {
    return std::nullopt;
  }
  return cursor;
}

// The statement's first line, for descriptions.
std::string FirstLine(const std::string& text) {
  const size_t end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end) + " ...";
}

}  // namespace

SnowflakeSource::SnowflakeSource(std::shared_ptr<const SnowflakeConnection> connection,
                                 SnowflakeSourceOptions options)
    : connection_(std::move(connection)),
      client_(connection_->client.get()),
      options_(std::move(options)) {}

SnowflakeSource::~SnowflakeSource() {
  std::lock_guard<std::mutex> lock(prefetcher_mutex_);
  prefetcher_.reset();
}

std::string SnowflakeSource::Describe() const {
  return "Snowflake statement for vault " + options_.vault + " at " + client_->base_url() + " (" +
         FirstLine(options_.statement.text) + ")";
}

std::vector<SourceFact> SnowflakeSource::Identity() const {
  return {{"snowflake url", client_->base_url()},
          {"database", options_.statement.database},
          {"schema", options_.statement.schema},
          {"statement", options_.statement.text}};
}

std::string SnowflakeSource::Cursor() const {
  if (!begun_) return {};
  return std::string(kCursorVersion) + " " + handle_ + " " + std::to_string(partition_) + " " +
         std::to_string(row_);
}

std::optional<SourceSize> SnowflakeSource::SizeHint() const {
  if (!begun_) return std::nullopt;
  SourceSize size;
  for (const uint64_t rows : partition_rows_)
    size.total_bytes += rows;
  size.bytes_read = sequence_;
  return size;
}

void SnowflakeSource::Interrupt() {
  stop_.request_stop();
  std::lock_guard<std::mutex> lock(prefetcher_mutex_);
  if (prefetcher_) prefetcher_->Stop();
}

Status SnowflakeSource::Execute() {
  std::string submitted;
  Result<StatementResult> result =
      client_->Execute(options_.statement, stop_.get_token(), &submitted);
  if (!result.ok()) {
    // Stopped while the statement runs: nobody will read its result.
    if (result.status().code() == StatusCode::kCancelled && !submitted.empty()) {
      (void)client_->Cancel(submitted);
    }
    return result.status();
  }
  RowBlock first = std::move(result->first_partition);
  return Begin(*result, 0, std::move(first));
}

Status SnowflakeSource::Begin(const StatementResult& result, size_t partition,
                              std::optional<RowBlock> rows) {
  const size_t columns = result.metadata.row_type.size();
  if (columns != 2) {
    std::string names;
    for (const snowflake::ColumnType& column : result.metadata.row_type) {
      names += (names.empty() ? "" : ", ") + column.name;
    }
    return Status::InvalidArgument(
        "the statement for vault " + options_.vault + " returns " + std::to_string(columns) +
        " columns (" + names +
        "); it must return two, the value then the token: fix the vault's \"query\" in "
        "config.json or its snowflake columns");
  }
  handle_ = result.handle;
  partition_rows_ = result.metadata.partition_rows;
  if (partition_rows_.empty()) partition_rows_.push_back(0);
  begun_ = true;
  partition_ = partition;
  row_ = 0;
  const size_t following = rows.has_value() ? partition + 1 : partition;
  if (rows.has_value()) rows_ = std::move(*rows);
  if (following < partition_rows_.size()) {
    snowflake::PartitionPrefetchOptions prefetch;
    prefetch.prefetch = std::max<size_t>(1, options_.prefetch);
    std::lock_guard<std::mutex> lock(prefetcher_mutex_);
    if (stop_.stop_requested()) return Status::Cancelled("interrupted");
    prefetcher_ = std::make_unique<PartitionPrefetcher>(client_, handle_, partition_rows_,
                                                        following, std::nullopt, prefetch);
  }
  if (!rows.has_value()) {
    // Resuming inside a partition that has to be fetched first.
    Result<bool> moved = NextPartition();
    if (!moved.ok()) return moved.status();
    partition_ = partition;
  }
  return Status::Ok();
}

Result<bool> SnowflakeSource::NextPartition() {
  if (!prefetcher_ || prefetcher_->remaining() == 0) return false;
  Result<Partition> next = prefetcher_->Next();
  if (!next.ok()) return next.status();
  rows_ = std::move(next->rows);
  partition_ = next->index;
  row_ = 0;
  return true;
}

Status SnowflakeSource::Next(size_t max_rows, SourceChunk* chunk) {
  if (!pending_error_.ok()) return pending_error_;
  if (!begun_) SKYFLOW_RETURN_IF_ERROR(Execute());
  while (chunk->rows() < max_rows) {
    if (row_ >= rows_.row_count()) {
      Result<bool> moved = NextPartition();
      if (!moved.ok()) {
        if (chunk->rows() == 0) return moved.status();
        pending_error_ = moved.status();
        return Status::Ok();
      }
      if (!*moved) {
        chunk->end_of_input = true;
        break;
      }
      continue;
    }
    const std::optional<std::string_view> value = rows_.Cell(row_, 0);
    const std::optional<std::string_view> token = rows_.Cell(row_, 1);
    const uint64_t row_number = sequence_ + 1;
    std::string problem = SqlRowProblem(value, token);
    if (problem.empty()) {
      chunk->records.push_back(
          Record{sequence_, row_number, std::string(*value), std::string(*token)});
    } else {
      chunk->rejected.push_back(RejectedRow{sequence_, FormatOrigin(OriginLabel(), row_number),
                                            std::move(problem), std::string(value.value_or("")),
                                            std::string(token.value_or(""))});
    }
    ++row_;
    ++sequence_;
  }
  return Status::Ok();
}

Status SnowflakeSource::Resume(uint64_t next_sequence, const std::string& cursor) {
  if (cursor.empty()) return RecordSource::Resume(next_sequence, cursor);
  const std::optional<ParsedCursor> position = ParseCursor(cursor);
  if (!position) {
    return Status::InvalidArgument("the checkpoint's Snowflake position \"" + cursor +
                                   "\" is not one this loader writes: start a new run");
  }
  Result<StatementResult> result = client_->AwaitResult(position->handle, stop_.get_token());
  if (!result.ok()) {
    if (result.status().code() == StatusCode::kCancelled) return result.status();
    return Status::Unavailable(
        "cannot resume vault " + options_.vault + " in the result of Snowflake statement " +
        position->handle + " (Snowflake keeps results for 24 hours): " + result.status().message() +
        ". Running the statement again may return its rows in another order, so the rows "
        "before the checkpoint cannot be skipped safely: start a new run without -resume "
        "(records already stored will count as already present)");
  }
  uint64_t before = 0;
  const std::vector<uint64_t>& partitions = result->metadata.partition_rows;
  for (size_t i = 0; i < position->partition && i < partitions.size(); ++i)
    before += partitions[i];
  if (position->partition >= std::max<size_t>(1, partitions.size()) ||
      before + position->row != next_sequence) {
    return Status::InvalidArgument("the checkpoint's Snowflake position (partition " +
                                   std::to_string(position->partition) + ", row " +
                                   std::to_string(position->row) + ") does not match row " +
                                   std::to_string(next_sequence) + " of statement " +
                                   position->handle + "'s result: start a new run");
  }
  std::optional<RowBlock> first;
  if (position->partition == 0) first = std::move(result->first_partition);
  SKYFLOW_RETURN_IF_ERROR(Begin(*result, position->partition, std::move(first)));
  row_ = position->row;
  sequence_ = next_sequence;
  return Status::Ok();
}

}  // namespace skyflow
