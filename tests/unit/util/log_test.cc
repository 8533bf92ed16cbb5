#include "util/log.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace skyflow {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

// 2026-11-24T10:00:00.123Z
const system_clock::time_point kTime = system_clock::time_point(milliseconds(1795514400123));

// Captures every line logged while it lives; restores the default format.
class CapturedLog {
 public:
  CapturedLog(LogFormat format, LogLevel threshold)
      : sink_([this](std::string_view line) {
          std::lock_guard lock(mutex_);
          lines_.emplace_back(line);
        }) {
    ConfigureLog(format, threshold);
  }
  ~CapturedLog() {
    ConfigureLog(LogFormat::kText, LogLevel::kInfo);
    SetLogSecrets({});
  }

  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
  ScopedLogSink sink_;
};

TEST(LogTest, TextLinesKeepTheGoLoadersPrefixes) {
  EXPECT_EQ(FormatLogLine(LogFormat::kText, LogLevel::kError, kTime, "vault NAME: gone"),
            "error: vault NAME: gone\n");
  EXPECT_EQ(FormatLogLine(LogFormat::kText, LogLevel::kWarn, kTime, "readable"),
            "warning: readable\n");
  EXPECT_EQ(FormatLogLine(LogFormat::kText, LogLevel::kInfo, kTime, "Run directory: d"),
            "Run directory: d\n");
  EXPECT_EQ(FormatLogLine(LogFormat::kText, LogLevel::kDebug, kTime, "retry"), "debug: retry\n");
}

TEST(LogTest, JsonLineHasTimeLevelMessageAndFields) {
  const LogField fields[] = {{"vault", "NAME"},
                             {"batch", uint64_t{42}},
                             {"status", 503},
                             {"delay_ms", int64_t{-1}},
                             {"rate", 2.5}};
  const std::string line =
      FormatLogLine(LogFormat::kJson, LogLevel::kWarn, kTime, "say \"hi\"\n", fields);
  EXPECT_EQ(line,
            "{\"time\":\"2026-11-24T10:00:00.123Z\",\"level\":\"warn\",\"msg\":\"say "
            "\\\"hi\\\"\\n\",\"vault\":\"NAME\",\"batch\":42,\"status\":503,\"delay_ms\":-1,"
            "\"rate\":2.5}\n");
}

TEST(LogTest, TimesAreUtcWithMilliseconds) {
  char out[24];
  FormatRfc3339Millis(0, out);
  EXPECT_EQ(std::string(out, 24), "1970-01-01T00:00:00.000Z");
  FormatRfc3339Millis(951782400999, out);  // a leap day
  EXPECT_EQ(std::string(out, 24), "2000-02-29T00:00:00.999Z");
  FormatRfc3339Millis(4102444799001, out);
  EXPECT_EQ(std::string(out, 24), "2099-12-31T23:59:59.001Z");
  FormatRfc3339Millis(-1, out);
  EXPECT_EQ(std::string(out, 24), "1969-12-31T23:59:59.999Z");
}

TEST(LogTest, LevelsBelowTheThresholdAreDropped) {
  {
    CapturedLog log(LogFormat::kText, LogLevel::kWarn);  // -q
    LogDebug("d");
    LogInfo("i");
    LogWarn("w");
    LogError("e");
    EXPECT_EQ(log.lines(), (std::vector<std::string>{"warning: w\n", "error: e\n"}));
    EXPECT_FALSE(LogEnabled(LogLevel::kInfo));
  }
  {
    CapturedLog log(LogFormat::kText, LogLevel::kDebug);  // -v
    LogDebug("d");
    LogInfo("i");
    EXPECT_EQ(log.lines(), (std::vector<std::string>{"debug: d\n", "i\n"}));
  }
  {
    CapturedLog log(LogFormat::kText, LogLevel::kInfo);  // default
    LogDebug("d");
    LogInfo("i");
    EXPECT_EQ(log.lines(), (std::vector<std::string>{"i\n"}));
  }
}

TEST(LogTest, RegisteredSecretsAreScrubbedFromEveryLine) {
  CapturedLog log(LogFormat::kJson, LogLevel::kInfo);
  SetLogSecrets({"s3cret-token"});
  LogError("server said Bearer s3cret-token", {{"body", "s3cret-token"}});
  ASSERT_EQ(log.lines().size(), 1u);
  EXPECT_EQ(log.lines()[0].find("s3cret-token"), std::string::npos) << log.lines()[0];
  EXPECT_NE(log.lines()[0].find("<redacted: 12 chars"), std::string::npos) << log.lines()[0];
}

TEST(LogTest, ConcurrentWritersProduceWholeJsonLines) {
  CapturedLog log(LogFormat::kJson, LogLevel::kDebug);
  constexpr int kThreads = 8;
  constexpr int kLinesEach = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      const std::string payload(100 + t * 37, static_cast<char>('a' + t));
      for (int i = 0; i < kLinesEach; ++i)
        LogInfo(payload, {{"thread", t}, {"line", i}});
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  const std::vector<std::string> lines = log.lines();
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kLinesEach));
  simdjson::dom::parser parser;
  std::vector<int> next(kThreads, 0);
  for (const std::string& line : lines) {
    ASSERT_EQ(line.back(), '\n');
    ASSERT_EQ(line.find('\n'), line.size() - 1) << line;
    simdjson::dom::element root;
    ASSERT_FALSE(parser.parse(line).get(root)) << line;
    int64_t thread = -1, number = -1;
    std::string_view msg;
    ASSERT_FALSE(root["thread"].get_int64().get(thread)) << line;
    ASSERT_FALSE(root["line"].get_int64().get(number)) << line;
    ASSERT_FALSE(root["msg"].get_string().get(msg)) << line;
    ASSERT_GE(thread, 0);
    ASSERT_LT(thread, kThreads);
    EXPECT_EQ(msg.size(), static_cast<size_t>(100 + thread * 37));
    // Each writer's lines arrive in its order.
    EXPECT_EQ(number, next[static_cast<size_t>(thread)]++);
  }
}

// What `write` puts on stderr, captured through a temporary file.
template <typename Write>
std::string CapturedStderr(Write write) {
  char path[] = "/tmp/log_test_XXXXXX";
  const int file = mkstemp(path);
  EXPECT_GE(file, 0);
  const int saved = dup(STDERR_FILENO);
  dup2(file, STDERR_FILENO);
  write();
  dup2(saved, STDERR_FILENO);
  close(saved);
  std::string text;
  lseek(file, 0, SEEK_SET);
  char buffer[65536];
  for (ssize_t n; (n = read(file, buffer, sizeof(buffer))) > 0;)
    text.append(buffer, static_cast<size_t>(n));
  close(file);
  unlink(path);
  return text;
}

TEST(LogTest, SignalHandlerLinesFollowTheFormatAndThreshold) {
  ConfigureLog(LogFormat::kText, LogLevel::kInfo);
  EXPECT_EQ(CapturedStderr([] { LogFromSignalHandler(LogLevel::kWarn, "interrupted: finishing"); }),
            "warning: interrupted: finishing\n");
  ConfigureLog(LogFormat::kJson, LogLevel::kInfo);
  const std::string line =
      CapturedStderr([] { LogFromSignalHandler(LogLevel::kWarn, "interrupted: finishing"); });
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_FALSE(parser.parse(line).get(root)) << line;
  std::string_view level, msg, time;
  ASSERT_FALSE(root["level"].get_string().get(level));
  ASSERT_FALSE(root["msg"].get_string().get(msg));
  ASSERT_FALSE(root["time"].get_string().get(time));
  EXPECT_EQ(level, "warn");
  EXPECT_EQ(msg, "interrupted: finishing");
  EXPECT_EQ(time.size(), 24u);
  EXPECT_EQ(line.back(), '\n');
  ConfigureLog(LogFormat::kText, LogLevel::kError);
  EXPECT_EQ(CapturedStderr([] { LogFromSignalHandler(LogLevel::kWarn, "dropped"); }), "");
  ConfigureLog(LogFormat::kText, LogLevel::kInfo);
}

TEST(LogTest, ASinkHoldsOnlyWhileItLives) {
  ConfigureLog(LogFormat::kText, LogLevel::kInfo);
  std::vector<std::string> seen;
  const std::string on_stderr = CapturedStderr([&seen] {
    {
      ScopedLogSink sink([&seen](std::string_view line) { seen.emplace_back(line); });
      LogInfo("to the sink");
    }
    LogInfo("to stderr");
  });
  EXPECT_EQ(seen, std::vector<std::string>{"to the sink\n"});
  EXPECT_EQ(on_stderr, "to stderr\n");
}

TEST(LogTest, ConcurrentWritersToStderrNeverSplitALine) {
  // The default sink: one write per line under the mutex.
  ConfigureLog(LogFormat::kText, LogLevel::kInfo);
  const std::string text = CapturedStderr([] {
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([t] {
        const std::string payload(5000, static_cast<char>('k' + t));
        for (int i = 0; i < 50; ++i)
          LogWarn(payload);
      });
    }
    for (std::thread& thread : threads)
      thread.join();
  });
  size_t start = 0, lines = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    const std::string_view line(text.data() + start, end - start);
    ASSERT_EQ(line.size(), 9u + 5000u);
    ASSERT_EQ(line.substr(0, 9), "warning: ");
    EXPECT_EQ(line.find_first_not_of(line[9], 9), std::string_view::npos);
    ++lines;
    start = end + 1;
  }
  EXPECT_EQ(lines, 200u);
}

}  // namespace
}  // namespace skyflow
