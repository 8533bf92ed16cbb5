// ProgressView: what the operator sees while a load runs, on stderr.
//   - stderr is a terminal: one live bar per vault (LiveBars), redrawn in
//     place four times a second (LiveDisplay); colour unless NO_COLOR;
//   - otherwise (CI, tee, -offline): no control characters, the Go loader's
//     [LIVE] lines every 3 s and Progress lines at each 1% (GoProgressReporter),
//     written as info log lines (util/log.h: JSON with -log-format json,
//     none with -q).
// While a terminal view lives, log lines print above its bars (it is the
// log's sink). Tick() runs on the dispatcher's thread (LoadProgress::report),
// every interval(). Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string_view>

#include "pipeline/run_load.h"
#include "report/go_progress.h"
#include "report/live_bars.h"
#include "report/live_display.h"
#include "util/log.h"

namespace skyflow {

class ProgressView {
 public:
  // `max_rows`: -max-records (0 = none). `terminal`: stderr is a terminal.
  ProgressView(uint64_t max_rows, bool terminal, bool colour);

  // How often Tick() wants to be called.
  std::chrono::milliseconds interval() const;

  void Tick(const LoadResult& running);
  // The last state, left on screen (terminal) or a last Progress line each.
  void Finish(const LoadResult& result);
  // Something wrote to stderr behind the view's back (a signal handler's
  // message): on a terminal, the next bars go below it.
  void Detach();

 private:
  std::mutex mutex_;
  const bool colour_;
  std::unique_ptr<LiveDisplay> display_;           // null: not a terminal
  std::unique_ptr<ScopedLogSink> log_above_bars_;  // goes before display_
  LiveBars bars_;
  GoProgressReporter go_;
};

}  // namespace skyflow
