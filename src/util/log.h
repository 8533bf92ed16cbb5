// Log: every line the loader writes for the operator that is not a report
// (warnings, errors, retries, start and end messages, the Go loader's
// progress lines when stderr is not a terminal) goes through here, so that
// one switch turns all of them into JSON and one filter decides which show.
//
//   text (default): "<prefix><message>\n", prefix "error: ", "warning: ",
//                   "debug: " or none for info: the lines the Go loader's
//                   users grep for, unchanged;
//   json:           {"time":"2026-11-24T10:00:00.123Z","level":"info",
//                   "msg":"...", <fields>}\n, one object per line.
//
// The app configures it once (ConfigureLog) before any other thread starts;
// lines below the threshold are dropped (-q: warnings and up; -v: debug and
// up). Each line is formatted whole, scrubbed of the registered secrets
// (util/redact.h) and handed to the sink in one call under one mutex: lines
// of concurrent writers never interleave. The default sink writes to stderr
// (the log file in -offline mode); a terminal display installs its own so
// that log lines print above its live bars (ScopedLogSink).
//
// Thread-safe. LogFromSignalHandler is also async-signal-safe.
#pragma once

#include <chrono>
#include <concepts>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace skyflow {

enum class LogLevel { kDebug, kInfo, kWarn, kError };
enum class LogFormat { kText, kJson };

// "debug", "info", "warn", "error": the JSON "level".
const char* LogLevelName(LogLevel level);

// One structured field of a JSON line ("vault", "batch", "status",
// "request_id", "attempts", ...). Holds views: build it in the call.
struct LogField {
  LogField(std::string_view key_in, std::string_view value_in) : key(key_in), value(value_in) {}
  LogField(std::string_view key_in, const char* value_in)
      : key(key_in), value(std::string_view(value_in)) {}
  LogField(std::string_view key_in, const std::string& value_in)
      : key(key_in), value(std::string_view(value_in)) {}
  template <std::signed_integral Integer>
  LogField(std::string_view key_in, Integer value_in)
      : key(key_in), value(static_cast<int64_t>(value_in)) {}
  template <std::unsigned_integral Integer>
  requires(!std::same_as<Integer, bool>) LogField(std::string_view key_in, Integer value_in)
      : key(key_in), value(static_cast<uint64_t>(value_in)) {}
  LogField(std::string_view key_in, double value_in) : key(key_in), value(value_in) {}

  std::string_view key;
  std::variant<std::string_view, int64_t, uint64_t, double> value;
};

// The line (ending in '\n') a message gives in `format` at `time`. Pure.
std::string FormatLogLine(LogFormat format, LogLevel level,
                          std::chrono::system_clock::time_point time, std::string_view message,
                          std::span<const LogField> fields = {});

// "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC) for milliseconds since 1970 into `out`
// (24 characters, no terminator). Async-signal-safe.
void FormatRfc3339Millis(int64_t unix_millis, char out[24]);

// Sets the format and the lowest level written. Call before other threads
// log (the values are atomics: a late call is safe, merely racy in order).
void ConfigureLog(LogFormat format, LogLevel threshold);
LogFormat CurrentLogFormat();
bool LogEnabled(LogLevel level);

// Secrets replaced by their Redact() form in every line, whatever a call
// site passes (a second line of defence: call sites must not pass them).
void SetLogSecrets(std::vector<std::string> secrets);

// Receives each whole line, ending in '\n'; called under the log's mutex.
using LogSink = std::function<void(std::string_view line)>;

// Routes lines to `sink` while it lives, then back to the previous sink.
// The sink must not log.
class ScopedLogSink {
 public:
  explicit ScopedLogSink(LogSink sink);
  ~ScopedLogSink();
  ScopedLogSink(const ScopedLogSink&) = delete;
  ScopedLogSink& operator=(const ScopedLogSink&) = delete;

 private:
  LogSink previous_;
};

void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});
inline void LogDebug(std::string_view message, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kDebug, message, fields);
}
inline void LogInfo(std::string_view message, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kInfo, message, fields);
}
inline void LogWarn(std::string_view message, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kWarn, message, fields);
}
inline void LogError(std::string_view message, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kError, message, fields);
}

// For a signal handler: writes `message` (a constant without characters
// that need JSON escaping) at `level` straight to stderr, in the configured
// format, without allocating or locking. Not scrubbed: pass no secret.
void LogFromSignalHandler(LogLevel level, const char* message);

}  // namespace skyflow
