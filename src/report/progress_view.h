// ProgressView: what the operator sees while a load runs, on stderr.
//   - stderr is a terminal: one live bar per vault (LiveBars), redrawn in
//     place four times a second (LiveDisplay); colour unless NO_COLOR;
//   - otherwise (CI, tee, -offline): no control characters, the Go loader's
//     [LIVE] lines every 3 s and Progress lines at each 1% (GoProgressReporter).
// Tick() runs on the dispatcher's thread (LoadProgress::report), every
// interval(); Print() may be called from any thread. Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string_view>

#include "pipeline/run_load.h"
#include "report/go_progress.h"
#include "report/live_bars.h"
#include "report/live_display.h"

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
  // A message for the operator, above the bars on a terminal.
  void Print(std::string_view message);
  // Something wrote to stderr behind the view's back (a signal handler's
  // message): on a terminal, the next bars go below it.
  void Detach();

 private:
  std::mutex mutex_;
  const bool colour_;
  std::unique_ptr<LiveDisplay> display_;  // null: not a terminal
  LiveBars bars_;
  GoProgressReporter go_;
};

}  // namespace skyflow
