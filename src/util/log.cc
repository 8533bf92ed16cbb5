#include "util/log.h"

#include <time.h>  // NOLINT(modernize-deprecated-headers): clock_gettime is POSIX
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>

#include "util/json_writer.h"
#include "util/redact.h"
#include "util/write_all.h"

namespace skyflow {
namespace {

std::atomic<LogFormat> log_format{LogFormat::kText};
std::atomic<LogLevel> log_threshold{LogLevel::kInfo};

// The sink and the secrets, under one mutex that also orders the lines.
struct LogState {
  std::mutex mutex;
  LogSink sink;  // empty: stderr
  std::vector<std::string> secrets;
};

LogState& State() {
  // Never destroyed: threads may log while static destructors run.
  static LogState* const state = new LogState();  // NOLINT(cppcoreguidelines-owning-memory)
  return *state;
}

const char* TextPrefix(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug: ";
    case LogLevel::kInfo:
      return "";
    case LogLevel::kWarn:
      return "warning: ";
    case LogLevel::kError:
      return "error: ";
  }
  return "";
}

// Writes `value` as `width` decimal digits, zero-padded, at `out`.
void PutDigits(char* out, int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

int64_t NowMillis() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return static_cast<int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1'000'000;
}

}  // namespace

const char* LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

void FormatRfc3339Millis(int64_t unix_millis, char out[24]) {
  // Howard Hinnant's civil_from_days: pure arithmetic, so that a signal
  // handler may use it (gmtime_r is not async-signal-safe).
  int64_t millis = unix_millis % 1000;
  int64_t seconds = unix_millis / 1000;
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  int64_t days = seconds / 86400;
  int64_t second_of_day = seconds % 86400;
  if (second_of_day < 0) {
    second_of_day += 86400;
    --days;
  }
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t day_of_era = z - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_index = (5 * day_of_year + 2) / 153;
  const int64_t day = day_of_year - (153 * month_index + 2) / 5 + 1;
  const int64_t month = month_index < 10 ? month_index + 3 : month_index - 9;
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  PutDigits(out, year, 4);
  out[4] = '-';
  PutDigits(out + 5, month, 2);
  out[7] = '-';
  PutDigits(out + 8, day, 2);
  out[10] = 'T';
  PutDigits(out + 11, second_of_day / 3600, 2);
  out[13] = ':';
  PutDigits(out + 14, second_of_day / 60 % 60, 2);
  out[16] = ':';
  PutDigits(out + 17, second_of_day % 60, 2);
  out[19] = '.';
  PutDigits(out + 20, millis, 3);
  out[23] = 'Z';
}

std::string FormatLogLine(LogFormat format, LogLevel level,
                          std::chrono::system_clock::time_point time, std::string_view message,
                          std::span<const LogField> fields) {
  std::string line;
  if (format == LogFormat::kText) {
    line.reserve(message.size() + 10);
    line += TextPrefix(level);
    line += message;
    line += '\n';
    return line;
  }
  char stamp[24];
  FormatRfc3339Millis(
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count(),
      stamp);
  JsonWriter json(&line);
  json.BeginObject()
      .Field("time", std::string_view(stamp, sizeof(stamp)))
      .Field("level", LogLevelName(level))
      .Field("msg", message);
  for (const LogField& field : fields) {
    json.Key(field.key);
    std::visit(
        [&json](const auto& value) {
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<T, std::string_view>) {
            json.String(value);
          } else if constexpr (std::is_same_v<T, int64_t>) {
            json.Int(value);
          } else if constexpr (std::is_same_v<T, uint64_t>) {
            json.UInt(value);
          } else {
            json.Double(value);
          }
        },
        field.value);
  }
  json.EndObject();
  line += '\n';
  return line;
}

void ConfigureLog(LogFormat format, LogLevel threshold) {
  log_format.store(format);
  log_threshold.store(threshold);
}

LogFormat CurrentLogFormat() {
  return log_format.load();
}

bool LogEnabled(LogLevel level) {
  return static_cast<int>(level) >= static_cast<int>(log_threshold.load(std::memory_order_relaxed));
}

void SetLogSecrets(std::vector<std::string> secrets) {
  LogState& state = State();
  std::lock_guard lock(state.mutex);
  state.secrets = std::move(secrets);
}

ScopedLogSink::ScopedLogSink(LogSink sink) {
  LogState& state = State();
  std::lock_guard lock(state.mutex);
  previous_ = std::exchange(state.sink, std::move(sink));
}

ScopedLogSink::~ScopedLogSink() {
  LogState& state = State();
  std::lock_guard lock(state.mutex);
  state.sink = std::move(previous_);
}

void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  if (!LogEnabled(level)) return;
  std::string line = FormatLogLine(log_format.load(std::memory_order_relaxed), level,
                                   std::chrono::system_clock::now(), message,
                                   std::span<const LogField>(fields.begin(), fields.size()));
  LogState& state = State();
  std::lock_guard lock(state.mutex);
  if (!state.secrets.empty()) line = ScrubSecrets(std::move(line), state.secrets);
  if (state.sink) {
    state.sink(line);
    return;
  }
  // Nowhere to report a failure to write to stderr.
  [[maybe_unused]] Status written = WriteAll(STDERR_FILENO, line, "stderr");
}

void LogFromSignalHandler(LogLevel level, const char* message) {
  if (!LogEnabled(level)) return;
  char line[512];
  size_t size = 0;
  const auto append = [&](const char* text, size_t length) {
    length = std::min(length, sizeof(line) - 1 - size);
    std::memcpy(line + size, text, length);
    size += length;
  };
  const auto append_text = [&](const char* text) { append(text, std::strlen(text)); };
  if (log_format.load(std::memory_order_relaxed) == LogFormat::kText) {
    append_text(TextPrefix(level));
    append_text(message);
  } else {
    char stamp[24];
    FormatRfc3339Millis(NowMillis(), stamp);
    append_text("{\"time\":\"");
    append(stamp, sizeof(stamp));
    append_text("\",\"level\":\"");
    append_text(LogLevelName(level));
    append_text("\",\"msg\":\"");
    append_text(message);
    append_text("\"}");
  }
  line[size++] = '\n';
  [[maybe_unused]] ssize_t ignored = ::write(STDERR_FILENO, line, size);
}

}  // namespace skyflow
