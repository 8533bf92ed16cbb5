// ErrorLogAnalysis: what an error log holds for one vault, counted in one
// pass over its entries (ErrorLogTally), and the "ERROR LOG ANALYSIS"
// screen shown before reprocessing it (modelled on the Go loader's).
//
// Counts: records; failed batches, counted as the Go loader's "errors"
// elements are, as runs of consecutive entries with the same batch, status
// and message; records per failure class (retry_rules.h) and whether they
// will be resent; records and batches per status code; and the most
// frequent messages (at most kMaxMessages of them, the rest counted
// together), so that memory stays bounded whatever the log holds.
//
// Pure: no I/O, no clock (the caller passes "now"). Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "error_log/error_log_entry.h"
#include "error_log/retry_rules.h"

namespace skyflow {

inline constexpr size_t kFailureClassCount = 9;

struct StatusCount {
  uint64_t batches = 0;
  uint64_t records = 0;
};

struct ErrorLogAnalysis {
  std::string vault;
  std::string vault_id;
  std::string column;
  std::string earliest_time;  // RFC 3339; empty when no entry had one
  std::string latest_time;
  uint64_t records = 0;
  uint64_t batches = 0;
  uint64_t resend = 0;
  uint64_t skipped = 0;
  std::array<uint64_t, kFailureClassCount> by_class{};  // records, by FailureClass
  std::map<int64_t, StatusCount> by_status;
  std::map<std::string, uint64_t> by_message;  // records; at most kMaxMessages keys
  uint64_t other_messages = 0;                 // records whose message did not fit

  static constexpr size_t kMaxMessages = 20;

  uint64_t ByClass(FailureClass failure) const { return by_class[static_cast<size_t>(failure)]; }
};

class ErrorLogTally {
 public:
  explicit ErrorLogTally(RetrySelection selection) : selection_(selection) {}

  // Counts `entry`; returns whether it is to be resent.
  bool Add(const ErrorLogEntry& entry);

  const ErrorLogAnalysis& analysis() const { return analysis_; }

 private:
  RetrySelection selection_;
  ErrorLogAnalysis analysis_;
  // The last entry's batch, status and message: a new run starts a batch.
  std::optional<std::tuple<uint64_t, int64_t, std::string>> last_;
};

// What the reprocessing will do, for the screen.
struct ReprocessPlan {
  std::string path;
  std::string format;  // ErrorLogFormatName
  int64_t batch_size = 300;
  int64_t concurrency = 32;
  std::string concurrency_mode = "adaptive";
  bool upsert = false;
  bool everything = false;            // -error-log-all
  std::optional<uint64_t> torn_line;  // a torn last line passed over
};

struct ScreenStyle {
  bool emoji = false;  // only when stdout is a terminal
};

// The analysis screen, ending with the warning line (the prompt is the
// caller's). `now` gives "time since".
std::string FormatAnalysisScreen(const ErrorLogAnalysis& analysis, const ReprocessPlan& plan,
                                 ScreenStyle style, std::time_t now);

// "1,234,567".
std::string GroupedNumber(uint64_t number);

// "2h 15m 30s".
std::string FormatElapsed(int64_t seconds);

}  // namespace skyflow
