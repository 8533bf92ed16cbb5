#include "pipeline/verify_feed.h"

#include <algorithm>
#include <random>

#include "util/reservoir_sampler.h"
#include "vault/record_lookup.h"

namespace skyflow {
namespace {

// Rows read per batch while drawing a sample: nothing is sent meanwhile, so
// larger reads only save calls.
constexpr size_t kSampleReadRows = 1000;

BatcherOptions ReadOptions(const VerifyFeedOptions& options) {
  BatcherOptions batcher;
  batcher.lane = options.lane;
  batcher.batch_size = options.sample == 0 ? kMaxLookupRecords : kSampleReadRows;
  batcher.max_rows = options.max_rows;
  batcher.encode_body = false;
  return batcher;
}

}  // namespace

VerifyFeed::VerifyFeed(RecordSource* source, const VerifyFeedOptions& options)
    : options_(options), batcher_(source, ReadOptions(options)) {}

Status VerifyFeed::ReadBatch(std::vector<Record>* out, bool* done) {
  rejected_rows_.clear();
  SKYFLOW_RETURN_IF_ERROR(batcher_.Next(&batch_, &rejected_rows_, done));
  rejected_ += rejected_rows_.size();
  eligible_ += batch_.records.size();
  for (Record& record : batch_.records)
    out->push_back(std::move(record));
  return Status::Ok();
}

Status VerifyFeed::DrawSample() {
  std::seed_seq seeds{static_cast<uint32_t>(options_.seed),
                      static_cast<uint32_t>(options_.seed >> 32),
                      static_cast<uint32_t>(options_.lane)};
  ReservoirSampler<Record> sampler(static_cast<size_t>(options_.sample), std::mt19937_64(seeds));
  std::vector<Record> read;
  bool done = false;
  while (!done) {
    if (options_.interrupted != nullptr && options_.interrupted->load()) {
      return Status::Cancelled("interrupted while drawing the sample: nothing was sent");
    }
    read.clear();
    SKYFLOW_RETURN_IF_ERROR(ReadBatch(&read, &done));
    for (Record& record : read)
      sampler.Offer(std::move(record));
  }
  sample_ = sampler.Take();
  std::sort(sample_.begin(), sample_.end(),
            [](const Record& a, const Record& b) { return a.sequence < b.sequence; });
  drawn_ = true;
  return Status::Ok();
}

Status VerifyFeed::Next(std::vector<Record>* group, bool* done) {
  group->clear();
  *done = false;
  if (options_.sample == 0) return ReadBatch(group, done);
  if (!drawn_) SKYFLOW_RETURN_IF_ERROR(DrawSample());
  const size_t end = std::min(sample_.size(), next_in_sample_ + kMaxLookupRecords);
  for (; next_in_sample_ < end; ++next_in_sample_)
    group->push_back(std::move(sample_[next_in_sample_]));
  *done = next_in_sample_ == sample_.size();
  if (*done) sample_ = {};
  return Status::Ok();
}

}  // namespace skyflow
