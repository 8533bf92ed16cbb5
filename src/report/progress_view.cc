#include "report/progress_view.h"

#include <unistd.h>

#include <string>
#include <vector>

#include "net/clock.h"

namespace skyflow {
namespace {

std::vector<VaultProgress> ProgressOfAll(const LoadResult& result) {
  std::vector<VaultProgress> vaults;
  for (const VaultLoadResult& vault : result.vaults)
    vaults.push_back(ProgressOf(vault));
  return vaults;
}

// The Go loader's lines ("...\n...\n"), one info log line each.
void LogLines(std::string_view text) {
  while (!text.empty()) {
    const size_t end = text.find('\n');
    LogInfo(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

}  // namespace

ProgressView::ProgressView(uint64_t max_rows, bool terminal, bool colour)
    : colour_(colour && terminal),
      display_(terminal ? std::make_unique<LiveDisplay>(STDERR_FILENO) : nullptr),
      bars_(max_rows),
      go_(max_rows) {
  if (display_) {
    log_above_bars_ = std::make_unique<ScopedLogSink>(
        [display = display_.get()](std::string_view line) { display->PrintAbove(line); });
  }
}

std::chrono::milliseconds ProgressView::interval() const {
  // Plain output needs the ticks too: a Progress line is due at each 1%.
  return std::chrono::milliseconds(250);
}

void ProgressView::Tick(const LoadResult& running) {
  std::string lines;
  {
    std::lock_guard lock(mutex_);
    const double seconds = ToSeconds(running.elapsed);
    if (display_) {
      display_->Update(bars_.Lines(seconds, ProgressOfAll(running), display_->width(), colour_));
      return;
    }
    lines = go_.Tick(seconds, ProgressOfAll(running));
  }
  // Outside the view's lock: the log takes its own.
  LogLines(lines);
}

void ProgressView::Finish(const LoadResult& result) {
  std::string lines;
  {
    std::lock_guard lock(mutex_);
    const double seconds = ToSeconds(result.elapsed);
    if (display_) {
      display_->Update(bars_.Lines(seconds, ProgressOfAll(result), display_->width(), colour_));
      display_->Finish();
      return;
    }
    lines = go_.Finish(seconds, ProgressOfAll(result));
  }
  LogLines(lines);
}

void ProgressView::Detach() {
  std::lock_guard lock(mutex_);
  if (display_) display_->Detach();
}

}  // namespace skyflow
