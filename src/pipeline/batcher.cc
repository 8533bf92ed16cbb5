#include "pipeline/batcher.h"

#include <algorithm>
#include <span>

#include "util/utf8.h"

namespace skyflow {
namespace {

// The reason a record cannot be encoded as JSON, or empty when it can.
std::string Utf8Problem(const Record& record) {
  if (auto offset = FindInvalidUtf8(record.value)) {
    return "value is not valid UTF-8 (byte " + std::to_string(*offset + 1) +
           "); convert the file to UTF-8";
  }
  if (auto offset = FindInvalidUtf8(record.token)) {
    return "token is not valid UTF-8 (byte " + std::to_string(*offset + 1) +
           "); convert the file to UTF-8";
  }
  return {};
}

}  // namespace

Batcher::Batcher(RecordSource* source, const BatcherOptions& options)
    : source_(source),
      origin_label_(source->OriginLabel()),
      options_(options),
      batches_made_(options.batches_before),
      rng_(options.seed) {
  options_.batch_size = std::max<size_t>(1, options_.batch_size);
}

void Batcher::AppendSuffix(Record* record) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<int> pick(0, 35);
  std::string suffix = "_" + std::to_string(options_.suffix_time) + "_";
  for (int i = 0; i < 16; ++i)
    suffix.push_back(kAlphabet[pick(rng_)]);
  record->value += suffix;
  record->token += suffix;
}

Status Batcher::Next(Batch* batch, std::vector<RejectedRow>* rejected, bool* done) {
  batch->records.clear();
  batch->body.clear();
  batch->lane = options_.lane;
  *done = false;

  size_t want = options_.batch_size;
  if (options_.max_rows != 0) {
    const uint64_t done_before = options_.rows_before + rows_read_;
    const uint64_t left = options_.max_rows > done_before ? options_.max_rows - done_before : 0;
    if (left == 0) {
      // The limit is reached; find out whether it cut the input short.
      chunk_.Clear();
      SKYFLOW_RETURN_IF_ERROR(source_->Next(1, &chunk_));
      stopped_at_limit_ = chunk_.rows() > 0;
      *done = true;
      return Status::Ok();
    }
    want = static_cast<size_t>(std::min<uint64_t>(want, left));
  }

  chunk_.Clear();
  SKYFLOW_RETURN_IF_ERROR(source_->Next(want, &chunk_));
  rows_read_ += chunk_.rows();
  for (RejectedRow& row : chunk_.rejected)
    rejected->push_back(std::move(row));

  for (Record& record : chunk_.records) {
    if (std::string problem = Utf8Problem(record); !problem.empty()) {
      rejected->push_back(
          RejectedRow{record.sequence, FormatOrigin(origin_label_, record.origin_line),
                      std::move(problem), std::move(record.value), std::move(record.token)});
      continue;
    }
    if (options_.append_suffix) AppendSuffix(&record);
    batch->records.push_back(std::move(record));
  }
  if (!batch->records.empty()) {
    batch->number = ++batches_made_;
    if (options_.encode_body) {
      EncodeInsertPayload(options_.insert, std::span<const Record>(batch->records), &batch->body);
    }
  }
  *done = chunk_.end_of_input;
  return Status::Ok();
}

}  // namespace skyflow
