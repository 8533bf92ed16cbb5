// The end-of-run report: a human-readable summary per vault and overall, and
// the same figures as JSON for automation (-summary-json). Pure formatting of
// a finished LoadResult; thread-safe.
//
// The overall verdict (and so the exit code) follows from the counts: the run
// is complete only when every row read was loaded.
#pragma once

#include <string>

#include "pipeline/load_job.h"
#include "report/resource_usage.h"

namespace skyflow {

struct RunTotals {
  uint64_t rows_read = 0;
  uint64_t records_read = 0;
  uint64_t loaded = 0;
  uint64_t conflicts = 0;
  uint64_t failed = 0;
  uint64_t rejected = 0;
  uint64_t unsent = 0;
  uint64_t batches_immediate = 0;
  uint64_t batches_retried = 0;
  uint64_t batches_failed = 0;
  uint64_t requests = 0;
  uint64_t retries = 0;
  uint64_t throttled = 0;

  bool complete() const { return loaded == rows_read; }
};

RunTotals TotalsOf(const LoadResult& result);

// 1234567 -> "1,234,567"
std::string GroupDigits(uint64_t value);

std::string FormatSummaryText(const LoadResult& result, const ResourceUsage& usage);

std::string FormatSummaryJson(const LoadResult& result, const ResourceUsage& usage);

}  // namespace skyflow
