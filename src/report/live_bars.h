// The terminal's live view of a load: one line per vault, redrawn a few
// times a second by LiveDisplay:
//
//   NAME [########----------]  45.2%  1,234,567/~2,730,000  9,870/s avg 9,512/s
//     ETA 2m31s  in flight 28/32  retries 12  429s 3  failed 0
// (one line). "~" marks a total estimated from the input's size; when the
// total is unknown a spinner takes the bar's place and there is no ETA. The
// recent rate is over the last five seconds, the ETA follows from it.
// Colour (ANSI SGR) only when asked for: green bar, yellow 429s, red
// failures.
//
// FormatVaultBar and the helpers are pure; LiveBars keeps the rate windows
// between calls. Not thread-safe: one reporting thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "report/vault_progress.h"

namespace skyflow {

// "42s", "2m31s", "1h02m", "3d04h"; "--" when unknown (nullopt).
std::string FormatEta(std::optional<double> seconds);

// `width` cells: '#' for the part done, '-' for the rest.
std::string ProgressBar(double fraction, size_t width);

// Rows per second over a sliding window of samples.
class RateWindow {
 public:
  explicit RateWindow(double window_seconds = 5.0) : window_(window_seconds) {}
  void Add(double seconds, uint64_t count);
  // 0 until two samples at different times (see ready()).
  double Rate() const;
  bool ready() const;

 private:
  double window_;
  std::deque<std::pair<double, uint64_t>> samples_;
};

struct VaultBarFigures {
  std::string name;
  size_t name_width = 0;  // pad names to line the bars up
  uint64_t done = 0;
  RowTotal total;
  double recent_rate = 0;
  double average_rate = 0;
  uint64_t in_flight = 0;
  uint64_t limit = 0;
  uint64_t retries = 0;
  uint64_t throttled = 0;
  uint64_t failed = 0;  // failed and conflicts: not in the vault
  size_t spinner_frame = 0;
};

// One line for a terminal `width` columns wide (no newline; cut to width).
std::string FormatVaultBar(const VaultBarFigures& figures, size_t width, bool color);

class LiveBars {
 public:
  explicit LiveBars(uint64_t max_rows) : max_rows_(max_rows) {}
  std::vector<std::string> Lines(double seconds, const std::vector<VaultProgress>& vaults,
                                 size_t width, bool color);

 private:
  uint64_t max_rows_;
  std::vector<RateWindow> windows_;
  size_t frame_ = 0;
};

}  // namespace skyflow
