#include "report/progress_view.h"

#include <unistd.h>

#include <string>
#include <vector>

#include "net/clock.h"
#include "util/write_all.h"

namespace skyflow {
namespace {

std::vector<VaultProgress> ProgressOfAll(const LoadResult& result) {
  std::vector<VaultProgress> vaults;
  for (const VaultLoadResult& vault : result.vaults)
    vaults.push_back(ProgressOf(vault));
  return vaults;
}

void WriteStderr(std::string_view text) {
  if (text.empty()) return;
  [[maybe_unused]] Status written = WriteAll(STDERR_FILENO, text, "stderr");
}

}  // namespace

ProgressView::ProgressView(uint64_t max_rows, bool terminal, bool colour)
    : colour_(colour && terminal),
      display_(terminal ? std::make_unique<LiveDisplay>(STDERR_FILENO) : nullptr),
      bars_(max_rows),
      go_(max_rows) {}

std::chrono::milliseconds ProgressView::interval() const {
  // Plain output needs the ticks too: a Progress line is due at each 1%.
  return std::chrono::milliseconds(250);
}

void ProgressView::Tick(const LoadResult& running) {
  std::lock_guard lock(mutex_);
  const double seconds = ToSeconds(running.elapsed);
  if (display_) {
    display_->Update(bars_.Lines(seconds, ProgressOfAll(running), display_->width(), colour_));
  } else {
    WriteStderr(go_.Tick(seconds, ProgressOfAll(running)));
  }
}

void ProgressView::Finish(const LoadResult& result) {
  std::lock_guard lock(mutex_);
  const double seconds = ToSeconds(result.elapsed);
  if (display_) {
    display_->Update(bars_.Lines(seconds, ProgressOfAll(result), display_->width(), colour_));
    display_->Finish();
  } else {
    WriteStderr(go_.Finish(seconds, ProgressOfAll(result)));
  }
}

void ProgressView::Print(std::string_view message) {
  std::lock_guard lock(mutex_);
  if (display_) {
    display_->PrintAbove(message);
    return;
  }
  std::string line(message);
  if (line.empty() || line.back() != '\n') line += '\n';
  WriteStderr(line);
}

void ProgressView::Detach() {
  std::lock_guard lock(mutex_);
  if (display_) display_->Detach();
}

}  // namespace skyflow
