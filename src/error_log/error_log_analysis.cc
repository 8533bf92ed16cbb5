#include "error_log/error_log_analysis.h"

#include <algorithm>
#include <cstdio>
#include <tuple>
#include <vector>

#include "util/rfc3339.h"

namespace skyflow {
namespace {

static_assert(kFailureClassCount == static_cast<size_t>(FailureClass::kOther) + 1);

constexpr std::string_view kRule =
    "================================================================================\n";
// Assumed time of one insert request, for the estimate only.
constexpr double kSecondsPerRequest = 1.0;

std::string Records(uint64_t count) {
  return GroupedNumber(count) + (count == 1 ? " record" : " records");
}

std::string Batches(uint64_t count) {
  return GroupedNumber(count) + (count == 1 ? " batch" : " batches");
}

std::string StatusLabel(int64_t status) {
  if (status == 0) return "Network Errors (no HTTP status)";
  const char* name = "";
  switch (status) {
    case 400:
      name = " (Bad Request)";
      break;
    case 401:
      name = " (Unauthorized)";
      break;
    case 403:
      name = " (Forbidden)";
      break;
    case 404:
      name = " (Not Found)";
      break;
    case 408:
      name = " (Request Timeout)";
      break;
    case 409:
      name = " (Conflict)";
      break;
    case 413:
      name = " (Payload Too Large)";
      break;
    case 429:
      name = " (Rate Limited)";
      break;
    default:
      if (status >= 500 && status <= 599) name = " (Server Error)";
      break;
  }
  return "HTTP " + std::to_string(status) + name;
}

// "2025-10-16 14:30:52 UTC", or the text as given when it does not parse.
std::string ReadableTime(const std::string& rfc3339) {
  const std::optional<std::time_t> time = ParseRfc3339(rfc3339);
  if (!time.has_value()) return rfc3339;
  std::tm parts{};
  gmtime_r(&*time, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%d %H:%M:%S UTC", &parts);
  return buffer;
}

std::string Estimate(double seconds) {
  char buffer[64];
  if (seconds < 1.5) {
    return "~1 second";
  } else if (seconds < 90) {
    std::snprintf(buffer, sizeof(buffer), "~%.0f seconds", seconds);
  } else if (seconds < 90 * 60) {
    std::snprintf(buffer, sizeof(buffer), "~%.1f minutes", seconds / 60);
  } else {
    std::snprintf(buffer, sizeof(buffer), "~%.1f hours", seconds / 3600);
  }
  return buffer;
}

// True when time `a` is before `b`, comparing RFC 3339 text as moments
// when both parse.
bool Earlier(const std::string& a, const std::string& b) {
  const std::optional<std::time_t> ta = ParseRfc3339(a);
  const std::optional<std::time_t> tb = ParseRfc3339(b);
  if (ta.has_value() && tb.has_value()) return *ta < *tb;
  return a < b;
}

}  // namespace

std::string GroupedNumber(uint64_t number) {
  std::string digits = std::to_string(number);
  for (size_t at = digits.size(); at > 3;) {
    at -= 3;
    digits.insert(at, ",");
  }
  return digits;
}

std::string FormatElapsed(int64_t seconds) {
  if (seconds < 0) seconds = 0;
  const int64_t days = seconds / 86400;
  const int64_t hours = seconds % 86400 / 3600;
  const int64_t minutes = seconds % 3600 / 60;
  std::string text;
  if (days > 0) text += std::to_string(days) + "d ";
  if (days > 0 || hours > 0) text += std::to_string(hours) + "h ";
  if (days > 0 || hours > 0 || minutes > 0) text += std::to_string(minutes) + "m ";
  return text + std::to_string(seconds % 60) + "s";
}

bool ErrorLogTally::Add(const ErrorLogEntry& entry) {
  ErrorLogAnalysis& a = analysis_;
  if (a.records == 0) {
    a.vault = entry.vault;
    a.vault_id = entry.vault_id;
    a.column = entry.column;
  }
  ++a.records;
  if (!entry.time.empty()) {
    if (a.earliest_time.empty() || Earlier(entry.time, a.earliest_time)) {
      a.earliest_time = entry.time;
    }
    if (a.latest_time.empty() || Earlier(a.latest_time, entry.time)) a.latest_time = entry.time;
  }
  std::tuple<uint64_t, int64_t, std::string> run{entry.batch, entry.status, entry.message};
  const bool new_batch = !last_.has_value() || *last_ != run;
  if (new_batch) {
    ++a.batches;
    last_ = std::move(run);
  }
  const FailureClass failure = ClassifyFailure(entry);
  ++a.by_class[static_cast<size_t>(failure)];
  if (entry.stage == ErrorLogStage::kVault) {
    StatusCount& count = a.by_status[entry.status];
    ++count.records;
    if (new_batch) ++count.batches;
  }
  auto message = a.by_message.find(entry.message);
  if (message != a.by_message.end()) {
    ++message->second;
  } else if (a.by_message.size() < ErrorLogAnalysis::kMaxMessages) {
    a.by_message.emplace(entry.message, 1);
  } else {
    ++a.other_messages;
  }
  const bool resend = ShouldResend(failure, selection_);
  ++(resend ? a.resend : a.skipped);
  return resend;
}

std::string FormatAnalysisScreen(const ErrorLogAnalysis& a, const ReprocessPlan& plan,
                                 ScreenStyle style, std::time_t now) {
  auto title = [&style](const char* emoji, const char* text) {
    return std::string("\n") + (style.emoji ? std::string(emoji) + " " : std::string()) + text +
           "\n";
  };
  std::string out;
  out += kRule;
  out += "ERROR LOG ANALYSIS\n";
  out += kRule;

  out += title("\xF0\x9F\x93\x8B", "ERROR LOG INFORMATION:");
  out += "   File: " + plan.path + " (" + plan.format + " format)\n";
  out += "   Vault: " + a.vault + " (ID: " + (a.vault_id.empty() ? "not in the log" : a.vault_id) +
         ", Column: " + (a.column.empty() ? "not in the log" : a.column) + ")\n";
  if (!a.latest_time.empty()) {
    out += "   Original Error Timestamp: " + ReadableTime(a.latest_time) + "\n";
    if (const std::optional<std::time_t> when = ParseRfc3339(a.latest_time)) {
      out += "   Time Since Error: " + FormatElapsed(static_cast<int64_t>(now - *when)) + " ago\n";
    }
  }
  if (plan.torn_line.has_value()) {
    out += "   Torn last line: line " + std::to_string(*plan.torn_line) +
           " was cut short by the run that wrote it; its record cannot be read and is not "
           "resent\n";
  }

  out += title("\xF0\x9F\x93\x8A", "RECORD COUNTS:");
  out += "   Failed Batches: " + GroupedNumber(a.batches) + "\n";
  out += "   Failed Records: " + GroupedNumber(a.records) + "\n";
  char average[64];
  std::snprintf(average, sizeof(average), "%.1f",
                a.batches == 0 ? 0.0 : static_cast<double>(a.records) / a.batches);
  out += std::string("   Average Batch Size: ") + average + " records/batch\n";

  out += title("\xE2\x9A\xA0\xEF\xB8\x8F ", "ERROR BREAKDOWN:");
  if (const uint64_t rejected = a.ByClass(FailureClass::kSourceReject); rejected > 0) {
    out += "   Rejected by the source: " + Records(rejected) + "\n";
  }
  for (const auto& [status, count] : a.by_status) {
    out += "   " + StatusLabel(status) + ": " + Batches(count.batches) + ", " +
           Records(count.records) + "\n";
  }
  // Most frequent messages first.
  std::vector<std::pair<uint64_t, std::string>> messages;
  for (const auto& [message, count] : a.by_message)
    messages.emplace_back(count, message);
  std::stable_sort(messages.begin(), messages.end(),
                   [](const auto& x, const auto& y) { return x.first > y.first; });
  out += "   By message:\n";
  for (const auto& [count, message] : messages) {
    out += "     " + Records(count) + ": " + (message.empty() ? "(no message)" : message) + "\n";
  }
  if (a.other_messages > 0) {
    out += "     " + Records(a.other_messages) + ": other messages\n";
  }

  out += title("\xE2\x8F\xAD\xEF\xB8\x8F ", "NOT RESENT (they stay in this log):");
  if (a.skipped == 0) {
    out += "   none: every record is resent\n";
  } else {
    const RetrySelection selection{plan.upsert, plan.everything};
    for (const RetryRule& rule : RetryRules()) {
      const uint64_t count = a.ByClass(rule.failure);
      if (count == 0 || ShouldResend(rule.failure, selection)) continue;
      out += "   " + std::string(rule.name) + ": " + Records(count) + " (" + rule.why + ")\n";
    }
    out += "   -error-log-all resends them too.\n";
  }

  const uint64_t batch_size = plan.batch_size > 0 ? static_cast<uint64_t>(plan.batch_size) : 1;
  const uint64_t concurrency = plan.concurrency > 0 ? static_cast<uint64_t>(plan.concurrency) : 1;
  const uint64_t batches = (a.resend + batch_size - 1) / batch_size;
  out += title("\xF0\x9F\x94\x84", "REPROCESSING PLAN:");
  out += "   Records to Resend: " + GroupedNumber(a.resend) + "\n";
  out += "   Batch Size: " + GroupedNumber(batch_size) + " records/batch\n";
  out += "   Concurrency: " + GroupedNumber(concurrency) + " workers (" + plan.concurrency_mode +
         ")\n";
  out += "   Total Batches: " + GroupedNumber(batches) + "\n";
  if (plan.upsert) {
    out += std::string("   Upsert Mode: ") + (style.emoji ? "\xE2\x9C\x85 " : "") +
           "ENABLED (will update existing records)\n";
  } else {
    out += std::string("   Upsert Mode: ") + (style.emoji ? "\xE2\x9D\x8C " : "") +
           "DISABLED (conflicts are not resent; -upsert to update existing records)\n";
  }
  out += std::string("   Selection: ") +
         (plan.everything ? "every record (-error-log-all)"
                          : "records whose failure can change on a retry") +
         "\n";

  out += title("\xE2\x8F\xB1\xEF\xB8\x8F ", "ESTIMATED RUNTIME:");
  const uint64_t rounds = (batches + concurrency - 1) / concurrency;
  out += "   Estimated Time: " + Estimate(static_cast<double>(rounds) * kSecondsPerRequest) + "\n";
  out += "   (Actual time may vary based on API response times and rate limits)\n";

  out += "\n";
  out += kRule;
  out += std::string(style.emoji ? "\xE2\x9A\xA0\xEF\xB8\x8F  " : "") +
         "WARNING: This will attempt to reprocess " + Records(a.resend) + ".\n";
  out += kRule;
  return out;
}

}  // namespace skyflow
